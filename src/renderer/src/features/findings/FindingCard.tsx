import { useEffect, useState } from 'react';
import type { Finding, FindingSlot, SlotFormat } from '../../../../shared/contract/findings';
import { useAction, useCall } from '../../api/hooks';
import { Button, Field } from '../../ui/components';
import { useToast } from '../../ui/toast';
import { QuotePicker } from './QuotePicker';
import { FORMATS, Options, SlotEditor } from './SlotEditor';

/** The headline with live numbers: each number a button that opens its source. */
function LiveHeadline({ finding, onOpen }: { finding: Finding; onOpen: (slot: FindingSlot) => void }) {
  const slots = new Map(finding.slots.map((s) => [s.key, s]));
  const parts = finding.headline.split(/(\{[a-z][a-z0-9_]{0,19}\})/g).filter(Boolean);
  return (
    <p className="fd-live" data-testid="finding-live">
      {parts.map((part, i) => {
        const slot = /^\{[a-z][a-z0-9_]*\}$/.test(part) ? slots.get(part.slice(1, -1)) : undefined;
        if (!slot) return <span key={i}>{part}</span>;
        return (
          <button
            key={i}
            type="button"
            className={`fd-number ${slot.stale ? 'is-stale' : ''}`}
            data-testid={`number-${slot.key}`}
            title={`${slot.label}${slot.baseText ? `. ${slot.baseText}` : ''}`}
            onClick={() => onOpen(slot)}
          >
            {slot.text}
          </button>
        );
      })}
    </p>
  );
}

function SlotLine({ findingId, slot, onOpen }: { findingId: number; slot: FindingSlot; onOpen: (slot: FindingSlot) => void }) {
  const setSlot = useAction('findings.setSlot');
  const removeSlot = useAction('findings.removeSlot');
  const toast = useToast();
  const change = (format: SlotFormat) => setSlot.mutateAsync({ findingId, key: slot.key, source: slot.source, format }).catch((e: unknown) => toast.error(e));
  return (
    <li className={`fd-slot ${slot.stale ? 'is-stale' : ''}`} data-testid="slot-line">
      <code>{`{${slot.key}}`}</code>
      <button type="button" className="linklike" onClick={() => onOpen(slot)}>
        {slot.label}
      </button>
      <select aria-label={`How {${slot.key}} is written`} value={slot.format} onChange={(e) => void change(e.target.value as SlotFormat)}>
        {FORMATS.map((f) => (
          <option key={f.id} value={f.id}>
            {f.label}
          </option>
        ))}
      </select>
      {slot.stale && (
        <span className="fd-stale" data-testid="stale-note">
          {slot.error ? slot.error : `was ${slot.acceptedText}, now ${slot.text}`}
        </span>
      )}
      <Button variant="ghost" aria-label={`Remove {${slot.key}}`} onClick={() => void removeSlot.mutateAsync({ findingId, key: slot.key }).catch((e: unknown) => toast.error(e))}>
        ×
      </Button>
    </li>
  );
}

/** One finding: headline with number slots, body (or a memo), chart, quotes; every change undoable. */
export function FindingCard({ finding, count, onOpen }: { finding: Finding; count: number; onOpen: (slot: FindingSlot) => void }) {
  const update = useAction('findings.update');
  const move = useAction('findings.move');
  const remove = useAction('findings.delete');
  const accept = useAction('findings.accept');
  const removeQuote = useAction('findings.removeQuote');
  const moveQuote = useAction('findings.moveQuote');
  const fromMemo = useAction('findings.bodyFromMemo');
  const tables = useCall('tables.list', {});
  const memos = useCall('memos.list', {});
  const toast = useToast();
  const [headline, setHeadline] = useState(finding.headline);
  const [body, setBody] = useState(finding.body);
  const [adding, setAdding] = useState(false);
  const [picking, setPicking] = useState(false);
  useEffect(() => setHeadline(finding.headline), [finding.headline]);
  useEffect(() => setBody(finding.body), [finding.body]);
  const fail = (e: unknown) => toast.error(e);
  const save = (values: { headline?: string; body?: string; chartTableId?: number | null }) => void update.mutateAsync({ id: finding.id, ...values }).catch(fail);
  const taken = new Set(finding.quotes.map((q) => (q.segmentId !== null ? `s${q.segmentId}` : `t${q.turnId}`)));

  return (
    <article className={`fd-card ${finding.stale ? 'is-stale' : ''}`} data-testid="finding" aria-label={`Finding ${finding.position + 1}`}>
      <header className="fd-card-head">
        <span className="fd-number-badge">{finding.position + 1}</span>
        <LiveHeadline finding={finding} onOpen={onOpen} />
        <div className="fd-card-actions">
          <Button variant="ghost" aria-label="Move up" disabled={finding.position === 0} onClick={() => void move.mutateAsync({ id: finding.id, position: finding.position - 1 }).catch(fail)}>
            ↑
          </Button>
          <Button variant="ghost" aria-label="Move down" disabled={finding.position === count - 1} onClick={() => void move.mutateAsync({ id: finding.id, position: finding.position + 1 }).catch(fail)}>
            ↓
          </Button>
          <Button variant="danger" aria-label="Delete finding" onClick={() => void remove.mutateAsync({ id: finding.id }).catch(fail)}>
            Delete
          </Button>
        </div>
      </header>
      {finding.stale && (
        <div className="fd-stale-bar" role="status">
          Numbers changed since you accepted them.
          <Button data-testid="accept-finding" onClick={() => void accept.mutateAsync({ findingId: finding.id }).catch(fail)}>
            Accept the new numbers
          </Button>
        </div>
      )}
      <Field label="Headline" hint="Write {a}, {b}… where a number goes.">
        <input
          data-testid="headline-input"
          value={headline}
          onChange={(e) => setHeadline(e.target.value)}
          onBlur={() => headline !== finding.headline && save({ headline })}
          onKeyDown={(e) => e.key === 'Enter' && headline !== finding.headline && save({ headline })}
        />
      </Field>
      {finding.unknownSlots.length > 0 && <p className="fd-warn">No number yet for {finding.unknownSlots.map((k) => `{${k}}`).join(', ')}.</p>}
      <ul className="fd-slots">
        {finding.slots.map((slot) => (
          <SlotLine key={slot.key} findingId={finding.id} slot={slot} onOpen={onOpen} />
        ))}
      </ul>
      {adding ? (
        <SlotEditor findingId={finding.id} used={finding.slots.map((s) => s.key)} onDone={() => setAdding(false)} />
      ) : (
        <Button data-testid="add-number" onClick={() => setAdding(true)}>
          Add a number
        </Button>
      )}
      <Field label="Text">
        <textarea data-testid="body-input" rows={3} value={body} onChange={(e) => setBody(e.target.value)} onBlur={() => body !== finding.body && save({ body })} />
      </Field>
      <div className="fd-row">
        <Field label="Use a memo as the text">
          <select data-testid="memo-select" value="" onChange={(e) => e.target.value && void fromMemo.mutateAsync({ findingId: finding.id, memoId: Number(e.target.value) }).catch(fail)}>
            <option value="">Choose a memo…</option>
            {(memos.data ?? []).map((m) => (
              <option key={m.id} value={m.id}>
                {m.title || m.body.slice(0, 60)}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Chart">
          <select data-testid="chart-select" value={finding.chart?.tableId ?? ''} onChange={(e) => save({ chartTableId: e.target.value ? Number(e.target.value) : null })}>
            <option value="">No chart</option>
            <Options items={tables.data} />
          </select>
        </Field>
      </div>
      <section aria-label="Quotes">
        {finding.quotes.map((q, i) => (
          <div key={q.id} className={`fd-quote ${q.missing ? 'is-missing' : ''}`} data-testid="finding-quote">
            <blockquote>{q.missing ? 'This quote is gone from the project; it will be left out.' : q.text}</blockquote>
            <div className="fd-choice-foot">
              <span className="muted">— {q.attribution || q.documentName}</span>
              <span>
                <Button variant="ghost" aria-label="Quote up" disabled={i === 0} onClick={() => void moveQuote.mutateAsync({ findingId: finding.id, quoteId: q.id, position: i - 1 }).catch(fail)}>
                  ↑
                </Button>
                <Button variant="ghost" aria-label="Remove quote" onClick={() => void removeQuote.mutateAsync({ findingId: finding.id, quoteId: q.id }).catch(fail)}>
                  ×
                </Button>
              </span>
            </div>
          </div>
        ))}
        <Button data-testid="add-quotes" onClick={() => setPicking(true)}>
          Add quotes
        </Button>
      </section>
      {picking && <QuotePicker findingId={finding.id} taken={taken} onClose={() => setPicking(false)} />}
    </article>
  );
}
