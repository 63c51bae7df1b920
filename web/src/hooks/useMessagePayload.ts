import { useEffect, useState } from 'react';
import { payloadOf } from '../api/travel';
import { ApiRequestError, request } from '../api/rest';
import type { Message } from '../lib/spaceTimeBuffer';
import { useApp } from '../stores/hooks';

/** Payloads are shown cut to this many characters: the details box has a fixed size. */
const MAX_CHARS = 600;
/** A node writes its recording every 50 ms or so: a receipt just seen may not be on disk yet. */
const RETRIES = 4;
const RETRY_MS = 200;

/**
 * What a message carried, as JSON text, for the details box. In the past it is in the trace on
 * screen (payloadOf); live, it is asked of the supervisor (GET /api/runs/current/messages/:id),
 * which finds it in the receiver's recording. A message that never arrived has none to show —
 * its core was never given it — and the text says so.
 */
export function useMessagePayload(message: Message | undefined): string | null {
  const past = useApp((s) => s.travel.mode === 'past');
  const id = message?.id ?? null;
  const to = message?.to ?? null;
  const received = message?.received !== undefined && message.received !== null;
  const [live, setLive] = useState<{ id: string; text: string } | null>(null);

  useEffect(() => {
    if (past || id === null || to === null || !received) return;
    let cancelled = false;
    setLive({ id, text: 'loading…' });
    void (async () => {
      for (let attempt = 0; ; attempt++) {
        try {
          const found = await request<{ payload: unknown }>(`/api/runs/current/messages/${encodeURIComponent(id)}?to=${encodeURIComponent(to)}`);
          if (!cancelled) setLive({ id, text: cut(JSON.stringify(found.payload)) });
          return;
        } catch (err) {
          const notYet = err instanceof ApiRequestError && err.status === 404 && attempt < RETRIES;
          if (cancelled) return;
          if (!notYet) return setLive({ id, text: `not available: ${(err as Error).message}` });
          await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
          if (cancelled) return;
        }
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [past, id, to, received]);

  if (id === null) return null;
  if (past) return payloadOf(id, MAX_CHARS);
  if (!received) return null;
  return live?.id === id ? live.text : 'loading…';
}

function cut(json: string): string {
  return json.length > MAX_CHARS ? `${json.slice(0, MAX_CHARS)}…` : json;
}
