import type { ServerFrame } from '@clusterlab/shared';
import { backoffDelay } from '../lib/backoff';
import { publishSentMessages } from '../lib/messageBus';
import type { AppStore } from '../stores/store';

/**
 * The live feed. Each frame becomes one store update. When the socket drops it reconnects
 * with backoff and asks for `?since=<last seq>`, so the log resumes without gaps or repeats
 * (the events reducer drops any sequence number it already has).
 */
export function connectFeed(store: AppStore): { close(): void; retryNow(): void } {
  let socket: WebSocket | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let closed = false;
  let lastFrameAt: number | null = null;
  /** Which supervisor run our sequence numbers belong to; a restarted one starts them again. */
  let bootId: string | null = null;
  const { actions } = store.getState();

  function url(): string {
    const since = store.getState().events.lastSeq;
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const resume = since > 0 && bootId ? `?since=${since}&boot=${encodeURIComponent(bootId)}` : '';
    return `${proto}//${location.host}/ws${resume}`;
  }

  function open() {
    timer = null;
    actions.setConnection({ status: 'connecting', retryAt: null });
    const ws = new WebSocket(url());
    socket = ws;
    ws.onopen = () => {
      actions.setConnection({ status: 'open', attempt: 0, retryAt: null, everOpened: true, frozenAt: null });
    };
    ws.onmessage = (msg) => {
      let frame: ServerFrame;
      try {
        frame = JSON.parse(String(msg.data)) as ServerFrame;
      } catch {
        return; // A frame we cannot read must not take the page down; the next view corrects it.
      }
      const before = store.getState().events.lastSeq;
      lastFrameAt = Date.now();
      if (frame.type === 'snapshot') bootId = frame.bootId;
      actions.applyFrame(frame, lastFrameAt);
      // Animate only what is new; a snapshot is history, not traffic.
      if (frame.type === 'events') publishSentMessages(frame.events.filter((e) => e.seq > before));
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      if (closed) return;
      const attempt = store.getState().ui.connection.attempt;
      const delay = backoffDelay(attempt);
      const frozenAt = store.getState().ui.connection.frozenAt ?? lastFrameAt;
      actions.setConnection({ status: 'closed', attempt: attempt + 1, retryAt: Date.now() + delay, frozenAt });
      timer = setTimeout(open, delay);
    };
    // onerror is always followed by onclose, which does the work.
  }

  open();
  return {
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      socket?.close();
    },
    retryNow() {
      if (socket || closed) return;
      if (timer) clearTimeout(timer);
      open();
    },
  };
}
