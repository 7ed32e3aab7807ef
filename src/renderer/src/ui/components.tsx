import { useEffect, useRef, type ButtonHTMLAttributes, type ReactNode } from 'react';
import type { JobState } from '../api/hooks';
import { useTranslation } from '../i18n';

export function Button({
  variant = 'secondary',
  className = '',
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: 'primary' | 'secondary' | 'danger' | 'ghost' }) {
  return <button type="button" className={`btn btn-${variant} ${className}`} {...props} />;
}

/** What a page shows before there is anything in it: what this is for and the next step. */
export function EmptyState({ title, children, actions }: { title: string; children: ReactNode; actions?: ReactNode }) {
  return (
    <div className="empty-state" data-testid="empty-state">
      <h2>{title}</h2>
      <div className="empty-text">{children}</div>
      {actions && <div className="empty-actions">{actions}</div>}
    </div>
  );
}

export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <header className="page-header">
      <h1>{title}</h1>
      <div className="page-actions">{children}</div>
    </header>
  );
}

/** A modal dialog (native <dialog>: focus trap, Escape to close). */
export function Dialog({
  title,
  open,
  onClose,
  children,
  footer,
  wide,
}: {
  title: string;
  open: boolean;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  wide?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const { t } = useTranslation();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className={`dialog ${wide ? 'dialog-wide' : ''}`}
      aria-label={title}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      {open && (
        <>
          <header className="dialog-header">
            <h2>{title}</h2>
            <button type="button" className="icon-btn" aria-label={t('common.close')} onClick={onClose}>
              ×
            </button>
          </header>
          <div className="dialog-body">{children}</div>
          {footer && <footer className="dialog-footer">{footer}</footer>}
        </>
      )}
    </dialog>
  );
}

export function ProgressBar({ done, total }: { done: number; total: number | null }) {
  const pct = total && total > 0 ? Math.min(100, Math.round((done / total) * 100)) : null;
  return (
    <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct ?? undefined}>
      <div className={`progress-fill ${pct === null ? 'progress-indeterminate' : ''}`} style={{ width: pct === null ? '40%' : `${pct}%` }} />
    </div>
  );
}

/** Shown while a long job runs; Cancel reaches the core, which leaves the project unchanged. */
export function ProgressDialog({ job, onCancel }: { job: JobState | null; onCancel: () => void }) {
  const { t } = useTranslation();
  return (
    <Dialog title={job?.title ?? ''} open={job !== null} onClose={onCancel} footer={<Button onClick={onCancel}>{t('common.cancel')}</Button>}>
      <div data-testid="progress-dialog">
        <ProgressBar done={job?.progress?.done ?? 0} total={job?.progress?.total ?? null} />
        <p className="muted">{job?.progress?.message ?? t('common.starting')}</p>
      </div>
    </Dialog>
  );
}

export function Field({ label, children, hint }: { label: string; children: ReactNode; hint?: string }) {
  return (
    <label className="field">
      <span className="field-label">{label}</span>
      {children}
      {hint && <span className="field-hint">{hint}</span>}
    </label>
  );
}

export function Spinner({ label }: { label?: string }) {
  const { t } = useTranslation();
  return (
    <div className="spinner" role="status">
      {label ?? t('common.loading')}
    </div>
  );
}
