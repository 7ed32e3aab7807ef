import { useState } from 'react';
import { useAction, useCall } from '../../api/hooks';
import { Button, Dialog, Field, Spinner } from '../../ui/components';
import { useToast } from '../../ui/toast';

/** Picks quotes for a finding: a code's quotes, or a survey question's open answers, with a search. */
export function QuotePicker({ findingId, taken, onClose }: { findingId: number; taken: Set<string>; onClose: () => void }) {
  const codes = useCall('codes.list', {});
  const variables = useCall('tables.variables', {});
  const addQuote = useAction('findings.addQuote');
  const toast = useToast();
  const [from, setFrom] = useState<string>('');
  const [search, setSearch] = useState('');
  const options = useCall('export.options', {});
  const [attribute, setAttribute] = useState('');
  const [value, setValue] = useState('');
  const [wave, setWave] = useState('');
  const attributeValues = options.data?.attributes.find((a) => a.name === attribute)?.values ?? [];
  const openQuestions = [...new Set((variables.data?.variables ?? []).filter((v) => v.kind === 'text').map((v) => v.ref))];
  const chosen = from || (codes.data?.[0] ? `code:${codes.data[0].id}` : openQuestions[0] ? `var:${openQuestions[0]}` : '');
  const filters = { search, attributes: attribute && value ? { [attribute]: [value] } : {}, waves: wave ? [wave] : [] };
  const input = chosen.startsWith('code:') ? { codeId: Number(chosen.slice(5)), ...filters } : { variable: chosen.slice(4), ...filters };
  const choices = useCall('findings.quoteChoices', input, { enabled: chosen !== '' });

  const add = async (ref: { segmentId: number | null; turnId: number | null }) => {
    try {
      await addQuote.mutateAsync({ findingId, ...(ref.segmentId !== null ? { segmentId: ref.segmentId } : { turnId: ref.turnId ?? 0 }) });
    } catch (error) {
      toast.error(error);
    }
  };

  return (
    <Dialog title="Add quotes" open onClose={onClose} wide>
      <div className="fd-row">
        <Field label="From">
          <select data-testid="quote-source" value={chosen} onChange={(e) => setFrom(e.target.value)}>
            <optgroup label="Quotes of a code">
              {(codes.data ?? []).map((c) => (
                <option key={c.id} value={`code:${c.id}`}>
                  {c.name} ({c.totalQuoteCount})
                </option>
              ))}
            </optgroup>
            {openQuestions.length > 0 && (
              <optgroup label="Open answers of a question">
                {openQuestions.map((ref) => (
                  <option key={ref} value={`var:${ref}`}>
                    {variables.data?.variables.find((v) => v.ref === ref)?.label ?? ref}
                  </option>
                ))}
              </optgroup>
            )}
          </select>
        </Field>
        <Field label="Search">
          <input data-testid="quote-search" value={search} placeholder="words in the quote" onChange={(e) => setSearch(e.target.value)} />
        </Field>
      </div>
      <div className="fd-row">
        <Field label="Participants whose">
          <select data-testid="quote-attribute" value={attribute} onChange={(e) => (setAttribute(e.target.value), setValue(''))}>
            <option value="">(any attribute)</option>
            {(options.data?.attributes ?? []).map((a) => (
              <option key={a.name} value={a.name}>
                {a.name}
              </option>
            ))}
          </select>
        </Field>
        {attribute && (
          <Field label="is">
            <select data-testid="quote-attribute-value" value={value} onChange={(e) => setValue(e.target.value)}>
              <option value="">(any value)</option>
              {attributeValues.map((v) => (
                <option key={v} value={v}>
                  {v}
                </option>
              ))}
            </select>
          </Field>
        )}
        {(options.data?.waves.length ?? 0) > 0 && (
          <Field label="Wave (open answers)">
            <select data-testid="quote-wave" value={wave} onChange={(e) => setWave(e.target.value)}>
              <option value="">(all)</option>
              {(options.data?.waves ?? []).map((w) => (
                <option key={w} value={w}>
                  {w}
                </option>
              ))}
            </select>
          </Field>
        )}
      </div>
      {choices.isLoading && <Spinner />}
      <ul className="fd-choices" data-testid="quote-choices">
        {(choices.data ?? []).map((q) => {
          const key = q.segmentId !== null ? `s${q.segmentId}` : `t${q.turnId}`;
          return (
            <li key={key} data-testid="quote-choice">
              <blockquote>{q.text}</blockquote>
              <div className="fd-choice-foot">
                <span className="muted">— {q.attribution || q.documentName}</span>
                <Button data-testid="quote-add" disabled={taken.has(key) || addQuote.isPending} onClick={() => void add(q)}>
                  {taken.has(key) ? 'Added' : 'Add'}
                </Button>
              </div>
            </li>
          );
        })}
        {choices.data?.length === 0 && <li className="muted">No quotes match.</li>}
      </ul>
    </Dialog>
  );
}
