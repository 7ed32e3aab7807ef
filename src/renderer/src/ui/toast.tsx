import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { FieldbookError, describePlace } from '../../../shared/errors';
import { useTranslation } from '../i18n';

interface Toast {
  id: number;
  kind: 'info' | 'error' | 'success';
  text: string;
  detail?: string;
  action?: { label: string; run: () => void };
}

interface ToastApi {
  show(toast: Omit<Toast, 'id'>): void;
  error(error: unknown): void;
}

const ToastContext = createContext<ToastApi | null>(null);
let toastId = 0;

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const { t: tr } = useTranslation();
  const dismiss = useCallback((id: number) => setToasts((list) => list.filter((t) => t.id !== id)), []);
  const show = useCallback(
    (toast: Omit<Toast, 'id'>) => {
      toastId += 1;
      const id = toastId;
      setToasts((list) => [...list.slice(-3), { ...toast, id }]);
      if (toast.kind !== 'error') setTimeout(() => dismiss(id), 6000);
    },
    [dismiss],
  );
  const api = useMemo<ToastApi>(
    () => ({
      show,
      error(error) {
        if (error instanceof FieldbookError) {
          if (error.code === 'CANCELLED') return show({ kind: 'info', text: error.message });
          const place = describePlace(error.details);
          show({ kind: 'error', text: error.message, ...(place ? { detail: place } : {}) });
        } else {
          show({ kind: 'error', text: error instanceof Error ? error.message : String(error) });
        }
      },
    }),
    [show],
  );
  return (
    <ToastContext.Provider value={api}>
      {children}
      <div className="toasts" role="status" aria-live="polite">
        {toasts.map((t) => (
          <div key={t.id} className={`toast toast-${t.kind}`} data-testid={`toast-${t.kind}`}>
            <div className="toast-text">{t.text}</div>
            {t.detail && <div className="toast-detail">{t.detail}</div>}
            <div className="toast-actions">
              {t.action && (
                <button type="button" className="link" onClick={t.action.run}>
                  {t.action.label}
                </button>
              )}
              <button type="button" className="link" onClick={() => dismiss(t.id)}>
                {tr('common.dismiss')}
              </button>
            </div>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

export function useToast(): ToastApi {
  const api = useContext(ToastContext);
  if (!api) throw new Error('useToast outside ToastProvider');
  return api;
}
