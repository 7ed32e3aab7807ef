import { EmptyState, PageHeader } from '../../ui/components';

export default function ParticipantsPage() {
  return (
    <div className="page">
      <PageHeader title="Participants" />
      <EmptyState title="Participants link quotes to who said them.">Add participants with their role, industry and country, or import an attribute sheet (CSV or Excel).</EmptyState>
    </div>
  );
}
