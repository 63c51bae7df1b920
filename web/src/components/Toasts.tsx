import { useEffect } from 'react';
import type { Toast } from '../stores/uiSlice';
import { useActions, useApp } from '../stores/hooks';

const SHOW_MS = { error: 8000, info: 4000 };

/** Outcomes of requests, bottom corner, out of the way; each fades on its own or on Dismiss. */
export function Toasts() {
  const toasts = useApp((s) => s.ui.toasts);
  return (
    <div className="toasts" role="region" aria-label="Notifications">
      <div role="status" aria-live="polite">
        {toasts.map((t) => (
          <ToastItem key={t.id} toast={t} />
        ))}
      </div>
    </div>
  );
}

function ToastItem({ toast }: { toast: Toast }) {
  const { dismissToast } = useActions();
  useEffect(() => {
    const timer = setTimeout(() => dismissToast(toast.id), SHOW_MS[toast.kind]);
    return () => clearTimeout(timer);
  }, [toast.id, toast.kind, dismissToast]);
  return (
    <div className={`toast toast--${toast.kind}`}>
      <span aria-hidden="true">{toast.kind === 'error' ? '⚠' : 'ℹ'}</span>
      <span className="toast__text">{toast.text}</span>
      <button type="button" className="btn btn--quiet btn--small" aria-label="Dismiss notification" onClick={() => dismissToast(toast.id)}>
        ✕
      </button>
    </div>
  );
}
