import type { ServerFrame } from '@clusterlab/shared';
import { backoffDelay } from '../lib/backoff';
import { feedDiagram, feedDiagramSnapshot } from '../lib/diagramFeed';
import { publishSentMessages } from '../lib/messageBus';
import type { AppStore } from '../stores/store';
import { ApiRequestError, request } from './rest';
import { authToken } from './token';

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
  /** The reason the supervisor gave when it last closed the feed, until the feed is back. */
  let droppedBecause: string | null = null;
  const { actions } = store.getState();

  function url(): string {
    const since = store.getState().events.lastSeq;
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const query = new URLSearchParams();
    if (since > 0 && bootId) {
      query.set('since', String(since));
      query.set('boot', bootId);
    }
    // A browser's WebSocket cannot send an Authorization header; the stream takes ?token= instead.
    const token = authToken();
    if (token !== null) query.set('token', token);
    const search = query.toString();
    return `${proto}//${location.host}/ws${search ? `?${search}` : ''}`;
  }

  function open() {
    timer = null;
    actions.setConnection({ status: 'connecting', retryAt: null });
    const ws = new WebSocket(url());
    socket = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      if (droppedBecause !== null) actions.toast('info', `Live feed resumed. The supervisor had closed it: ${droppedBecause}.`);
      droppedBecause = null;
      actions.setConnection({ status: 'open', attempt: 0, retryAt: null, everOpened: true, frozenAt: null, closeReason: null });
    };
    ws.onmessage = (msg) => {
      let frame: ServerFrame;
      try {
        frame = JSON.parse(String(msg.data)) as ServerFrame;
      } catch {
        return; // A frame we cannot read must not take the page down; the next view corrects it.
      }
      const now = store.getState();
      const before = now.travel.mode === 'past' ? now.travel.live.events.lastSeq : now.events.lastSeq;
      lastFrameAt = Date.now();
      let newRun = false;
      if (frame.type === 'snapshot') {
        newRun = bootId !== frame.bootId;
        bootId = frame.bootId;
      }
      actions.applyFrame(frame, lastFrameAt);
      // Animate only what is new; a snapshot is history, not traffic. The diagram takes both.
      // Dots fly only while the page shows the present: the past's ring is not where live traffic goes.
      if (frame.type === 'events') {
        const fresh = frame.events.filter((e) => e.seq > before);
        if (store.getState().travel.mode === 'live') publishSentMessages(fresh);
        feedDiagram(fresh);
      } else if (frame.type === 'snapshot') feedDiagramSnapshot(frame.events, newRun);
    };
    ws.onclose = (event) => {
      if (socket !== ws) return;
      socket = null;
      if (closed) return;
      const attempt = store.getState().ui.connection.attempt;
      const delay = backoffDelay(attempt);
      const frozenAt = store.getState().ui.connection.frozenAt ?? lastFrameAt;
      // A reason the supervisor gave (it dropped us for falling behind) stays until we are back.
      if (event.reason) droppedBecause = event.reason;
      const closeReason = event.reason || (opened ? null : store.getState().ui.connection.closeReason);
      actions.setConnection({ status: 'closed', attempt: attempt + 1, retryAt: Date.now() + delay, frozenAt, closeReason });
      timer = setTimeout(open, delay);
      if (!opened) void explainRefusal();
    };
    // onerror is always followed by onclose, which does the work.
  }

  /**
   * A refused upgrade looks to the page like a connection that never came up; the same
   * request over plain HTTP gets the supervisor's sentence (a missing token, say) to show.
   */
  async function explainRefusal() {
    try {
      await request('/api/cluster');
    } catch (err) {
      const refused = err instanceof ApiRequestError && err.status >= 400 && err.status < 500;
      if (refused && !closed && store.getState().ui.connection.status !== 'open') {
        actions.setConnection({ closeReason: err.message.replace(/^\d+: /, '') });
      }
    }
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
