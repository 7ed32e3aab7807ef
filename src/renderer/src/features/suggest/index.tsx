import { EmptyState, PageHeader } from '../../ui/components';

export default function SuggestionsPage() {
  return (
    <div className="page">
      <PageHeader title="Suggestions" />
      <EmptyState title="Fieldbook can propose codes for passages you have not coded yet.">Suggestions appear once the project has a codebook and some text. Each comes with the words that drove it.</EmptyState>
    </div>
  );
}
