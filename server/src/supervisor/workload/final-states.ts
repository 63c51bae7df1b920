import { KvListing, type NodeId } from '@clusterlab/shared';
import type { FinalStates } from '../../check';
import { parseJson, request } from '../http-client';
import type { NodeDirectory } from '../kv-proxy';

/**
 * What every running node holds of a run's keys once it is over, for the checker's lost
 * writes and divergent replicas. Replicas catch up a moment after the last write, so the nodes
 * are asked again until they agree or `settleMs` runs out; what they hold then is the answer,
 * agreed or not (divergent replicas are a finding, not an error). A node that cannot answer —
 * paused, partitioned from nobody but slow — is left out, and a note says so.
 */
export type FinalStatesOptions = { timeoutMs: number; settleMs: number; pollMs: number; sleep(ms: number): Promise<void> };

export type Collected = { finalStates: FinalStates; notes: string[]; agreed: boolean };

const PAGE = 10_000;

export async function collectFinalStates(dir: NodeDirectory, prefix: string, o: FinalStatesOptions): Promise<Collected> {
  const deadline = Date.now() + o.settleMs;
  for (;;) {
    const running = dir.nodes().filter((n) => n.status === 'running' && n.url !== null);
    const answers = await Promise.all(running.map(async (n) => ({ id: n.id, keys: await keysOf(n.url!, prefix, o.timeoutMs) })));
    const finalStates: FinalStates = {};
    const silent: NodeId[] = [];
    for (const { id, keys } of answers) {
      if (keys === null) silent.push(id);
      else finalStates[id] = keys;
    }
    const agreed = allAgree(Object.values(finalStates));
    if (agreed || Date.now() >= deadline) {
      const notes: string[] = [];
      const down = dir.nodes().filter((n) => n.status !== 'running').map((n) => `${n.id} (${n.status})`);
      if (down.length > 0) notes.push(`Not asked for its final state, as it was not running: ${down.join(', ')}.`);
      if (silent.length > 0) notes.push(`Did not answer when asked for its final state: ${silent.join(', ')}.`);
      return { finalStates, notes, agreed };
    }
    await o.sleep(o.pollMs);
  }
}

/** The node's values of the run's keys (absent keys are missing); null if it did not answer. */
async function keysOf(url: string, prefix: string, timeoutMs: number): Promise<Record<string, string | null> | null> {
  const keys: Record<string, string | null> = {};
  let after = prefix;
  for (;;) {
    let listing;
    try {
      const answer = await request(`${url}/db?limit=${PAGE}&after=${encodeURIComponent(after)}`, { timeoutMs, maxBodyBytes: 256 * 1024 * 1024 });
      const parsed = answer.status === 200 ? KvListing.safeParse(parseJson(answer.body)) : null;
      if (!parsed?.success) return null;
      listing = parsed.data;
    } catch {
      return null;
    }
    for (const [key, stored] of listing.entries) {
      if (!key.startsWith(prefix)) return keys;
      keys[key] = stored.value;
    }
    const last = listing.entries.at(-1);
    if (!listing.truncated || last === undefined) return keys;
    after = last[0];
  }
}

function allAgree(states: Record<string, string | null>[]): boolean {
  const [first, ...rest] = states;
  if (!first) return true;
  const want = JSON.stringify(Object.entries(first).sort());
  return rest.every((s) => JSON.stringify(Object.entries(s).sort()) === want);
}
