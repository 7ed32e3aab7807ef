import { useCall } from '../../api/hooks';
import { navigate, useLocation } from '../../shell/navigation';
import { EmptyState, PageHeader, Spinner } from '../../ui/components';
import { AgreementView } from '../coding/AgreementView';
import { AnswersGrid } from '../coding/AnswersGrid';
import { CodingView } from '../coding/CodingView';
import { CooccurrenceView } from '../coding/Cooccurrence';
import { QuotesView } from '../coding/QuotesView';
import '../coding/coding.css';
import { CodebookEditor } from './CodebookEditor';
import { t } from '../../i18n';

const TABS = [
  { id: 'codes', label: 'codebook.tabCodes' },
  { id: 'code', label: 'codebook.tabCode' },
  { id: 'answers', label: 'codebook.tabAnswers' },
  { id: 'quotes', label: 'codebook.tabQuotes' },
  { id: 'cooccurrence', label: 'codebook.tabCooccurrence' },
  { id: 'agreement', label: 'codebook.tabAgreement' },
] as const;

function idParam(value: string | undefined): number | null {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : null;
}

/** "#/codebook/<tab>/<id>?at=<offset>&segment=<id>": each view of the coding work has an address. */
export default function CodebookPage() {
  const location = useLocation();
  const tab = TABS.find((x) => x.id === location.rest[0])?.id ?? 'codes';
  const id = idParam(location.rest[1]);
  return (
    <div className="page">
      <PageHeader title={t('shell.routes.codebook')} />
      <div className="tabs" role="tablist">
        {TABS.map((x) => (
          <button key={x.id} type="button" role="tab" className="tab" aria-selected={x.id === tab} onClick={() => navigate(`codebook/${x.id}`)}>
            {t(x.label)}
          </button>
        ))}
      </div>
      {tab === 'codes' && <CodebookEditor />}
      {tab === 'code' && <TranscriptPicker documentId={id} at={location.params.get('at')} segment={location.params.get('segment')} />}
      {tab === 'answers' && <AnswersGrid documentId={id} onDocument={(d) => navigate(`codebook/answers/${d}`)} />}
      {tab === 'quotes' && <QuotesView codeId={id} />}
      {tab === 'cooccurrence' && <CooccurrenceView />}
      {tab === 'agreement' && <AgreementView />}
    </div>
  );
}

function TranscriptPicker({ documentId, at, segment }: { documentId: number | null; at: string | null; segment: string | null }) {
  const documents = useCall('documents.list', {});
  if (documents.isLoading) return <Spinner />;
  if (!documents.data?.length) {
    return <EmptyState title={t('codebook.noTranscripts')}>{t('codebook.noTranscriptsText')}</EmptyState>;
  }
  return (
    <div className="cb-doc-layout">
      <ul className="cb-plain cb-doc-list" aria-label={t('codebook.documents')}>
        {documents.data.map((d) => (
          <li key={d.id}>
            <button type="button" title={d.name} className={`cb-tree-item ${d.id === documentId ? 'active' : ''}`} onClick={() => navigate(`codebook/code/${d.id}`)}>
              <span className="cb-grow">{d.name}</span>
              <span className="badge">{d.kind === 'survey_text' ? t('codebook.answersBadge') : t('codebook.turnsBadge', { count: d.turns })}</span>
            </button>
          </li>
        ))}
      </ul>
      {documentId === null ? (
        <p className="muted">{t('codebook.chooseDocument')}</p>
      ) : (
        <CodingView
          key={documentId}
          documentId={documentId}
          {...(at !== null && Number.isFinite(Number(at)) ? { at: Number(at) } : {})}
          {...(idParam(segment ?? undefined) ? { focusSegment: idParam(segment ?? undefined)! } : {})}
        />
      )}
    </div>
  );
}
