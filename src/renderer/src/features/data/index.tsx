import { EmptyState, PageHeader } from '../../ui/components';

export default function DataPage() {
  return (
    <div className="page">
      <PageHeader title="Data" />
      <EmptyState title="Import a survey export to see its questions, answers and waves here.">Data → Import survey. Qualtrics, SurveyMonkey and Google Forms CSVs, plain CSV/TSV, Excel and SPSS files; header rows are recognised for you.</EmptyState>
    </div>
  );
}
