import { EmptyState, PageHeader } from '../../ui/components';

export default function ExportsPage() {
  return (
    <div className="page">
      <PageHeader title="Exports" />
      <EmptyState title="Export tables, charts, quote packs and the whole project.">Exports appear here once the project has tables, quotes or codes.</EmptyState>
    </div>
  );
}
