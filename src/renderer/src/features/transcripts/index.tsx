import { EmptyState, PageHeader } from '../../ui/components';

export default function TranscriptsPage() {
  return (
    <div className="page">
      <PageHeader title="Transcripts" />
      <EmptyState title="Import interview transcripts to read, search and code them.">Transcripts → Import. Text, Word (.docx), WebVTT and SRT files; speakers and timestamps are kept.</EmptyState>
    </div>
  );
}
