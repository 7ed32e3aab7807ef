import { useEffect, useMemo, useRef, useState } from 'react';
import type { Code } from '../../../../shared/contract/coding';
import { Dialog } from '../../ui/components';
import { t } from '../../i18n';
import { rankCodes } from './palette-rank';

/** Ctrl+K: find a code by typing part of its name, definition or keywords; Enter applies it. */
export function CodePalette({
  open,
  codes,
  onPick,
  onInVivo,
  onClose,
}: {
  open: boolean;
  codes: Code[];
  onPick: (code: Code) => void;
  onInVivo?: () => void;
  onClose: () => void;
}) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (open) {
      setQuery('');
      setActive(0);
      setTimeout(() => input.current?.focus(), 0);
    }
  }, [open]);
  const matches = useMemo(() => rankCodes(codes, query), [codes, query]);
  return (
    <Dialog title={t('coding.palette.title')} open={open} onClose={onClose}>
      <input
        ref={input}
        aria-label={t('coding.palette.find')}
        data-testid="palette-input"
        placeholder={t('coding.palette.placeholder')}
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setActive((a) => Math.min(a + 1, matches.length - 1));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((a) => Math.max(a - 1, 0));
          } else if (e.key === 'Enter') {
            e.preventDefault();
            const code = matches[active];
            if (code) onPick(code);
          }
        }}
      />
      <ul className="cb-palette" role="listbox" aria-label={t('coding.palette.codes')}>
        {matches.map((c, i) => (
          <li key={c.id} role="option" aria-selected={i === active}>
            <button type="button" className={`cb-palette-item ${i === active ? 'active' : ''}`} onClick={() => onPick(c)} onMouseEnter={() => setActive(i)}>
              <span className="cb-swatch" style={{ background: c.color }} />
              <span className="cb-grow">{c.name}</span>
              {c.shortcut && <kbd>{c.shortcut}</kbd>}
            </button>
          </li>
        ))}
        {matches.length === 0 && <li className="muted">{t('coding.palette.noMatch', { query })}</li>}
      </ul>
      {onInVivo && (
        <button type="button" className="link" onClick={onInVivo}>
          {t('coding.palette.inVivo')}
        </button>
      )}
    </Dialog>
  );
}
