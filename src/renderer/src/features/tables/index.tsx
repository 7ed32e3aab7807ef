import { EmptyState, PageHeader } from '../../ui/components';

export default function TablesPage() {
  return (
    <div className="page">
      <PageHeader title="Tables" />
      <EmptyState title="Cross-tabulate survey answers and codes.">Tables → New table: choose the questions for rows and a banner of columns; percentages, bases and significance are computed for you.</EmptyState>
    </div>
  );
}
