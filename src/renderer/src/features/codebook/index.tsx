import { EmptyState, PageHeader } from '../../ui/components';

export default function CodebookPage() {
  return (
    <div className="page">
      <PageHeader title="Codebook" />
      <EmptyState title="Build a codebook of themes, then tag passages with them.">Create a code, give it a definition and a shortcut key, then select a passage in a transcript and press the key.</EmptyState>
    </div>
  );
}
