import type { ClusterEvent, FaultView, LastingFault } from '@clusterlab/shared';
import { isCut, linkRules } from '@clusterlab/shared/link-rules';
import { REGISTRY_PARTY } from '@clusterlab/shared/parties';

/**
 * The dashboard's side of the fault API, pure: the faults in force as events move them, the
 * presets a learner clicks (each a list of faults computed from the cluster as it is now), and
 * what a fault does to one directed link, for the ring.
 *
 * What a fault does to a link is the one rule the simulator and the nodes obey
 * (shared/src/link-rules.ts, zod-free); `linkEffect` reads from it what the drawing needs.
 */

/** Folds fault.network / fault.healed events into the list in force (idempotent: a repeat changes nothing). */
export function foldFaultEvents(list: readonly FaultView[], events: readonly ClusterEvent[]): readonly FaultView[] {
  let out = list;
  for (const e of events) {
    if (e.kind === 'fault.network') {
      if (out.some((f) => f.id === e.data.id)) continue;
      out = [...out, { id: e.data.id, fault: e.data.fault, description: e.data.description, since: e.time, sinceSeq: e.seq }];
    } else if (e.kind === 'fault.healed') {
      if (!out.some((f) => f.id === e.data.id)) continue;
      out = out.filter((f) => f.id !== e.data.id);
    }
  }
  return out;
}

export type LinkEffect = { cut: boolean; delayMs: number; lossRate: number };

/** What the faults in force do to messages from `from` to `to`: the server's own rule, read for drawing. */
export function linkEffect(faults: readonly FaultView[], from: string, to: string): LinkEffect {
  const rules = linkRules(faults, from, to);
  return { cut: isCut(rules), delayMs: rules.delayMs, lossRate: rules.lossRate };
}

/** How a link between two parties is drawn: which ways are cut, and whether it is slowed or lossy. */
export type LinkState = 'ok' | 'cut' | 'cut-one-way' | 'slow';

export type LinkDrawing = { a: string; b: string; state: LinkState; /** For one-way cuts: the direction that is cut. */ cutFrom?: string; cutTo?: string; title: string };

/** Every link the faults touch, between these nodes and the registry (clients are not drawn). */
export function affectedLinks(faults: readonly FaultView[], nodeIds: readonly string[]): LinkDrawing[] {
  if (faults.length === 0) return [];
  const parties = [...nodeIds, REGISTRY_PARTY];
  const out: LinkDrawing[] = [];
  for (let i = 0; i < parties.length; i++) {
    for (let j = i + 1; j < parties.length; j++) {
      const a = parties[i]!;
      const b = parties[j]!;
      const ab = linkEffect(faults, a, b);
      const ba = linkEffect(faults, b, a);
      if (ab.cut && ba.cut) out.push({ a, b, state: 'cut', title: `${a} ↔ ${b} cut both ways` });
      else if (ab.cut || ba.cut) {
        const [from, to] = ab.cut ? [a, b] : [b, a];
        out.push({ a, b, state: 'cut-one-way', cutFrom: from, cutTo: to, title: `${from} → ${to} cut (${to} → ${from} still works)` });
      } else if (ab.delayMs > 0 || ba.delayMs > 0 || ab.lossRate > 0 || ba.lossRate > 0) {
        const parts: string[] = [];
        const delay = Math.max(ab.delayMs, ba.delayMs);
        const loss = Math.max(ab.lossRate, ba.lossRate);
        if (delay > 0) parts.push(`+${delay} ms`);
        if (loss > 0) parts.push(`${Math.round(loss * 1000) / 10}% lost`);
        out.push({ a, b, state: 'slow', title: `${a} ↔ ${b} slowed: ${parts.join(', ')}` });
      }
    }
  }
  return out;
}

export type PresetId = 'isolate-leader' | 'split' | 'cut-one-way' | 'bridge' | 'ring' | 'slow' | 'lossy' | 'clock';

export type Preset = {
  id: PresetId;
  /** The button's accessible name. */
  name: string;
  /** One line: what applying it will show. */
  explains: string;
  /** The faults to post, or why the preset cannot apply to this cluster now. */
  faults: LastingFault[] | { unavailable: string };
};

export type PresetInput = { leader: string | null; nodeIds: readonly string[]; delayMs: number; lossPercent: number };

/** The presets for the cluster as it is now. */
export function presets({ leader, nodeIds, delayMs, lossPercent }: PresetInput): Preset[] {
  const followers = nodeIds.filter((id) => id !== leader);
  const needLeader = { unavailable: 'needs a leader' };
  const n = nodeIds.length;
  return [
    {
      id: 'isolate-leader',
      name: 'Isolate the leader',
      explains: 'The leader loses every link: the others elect a new one while it still thinks it leads — a split brain until you heal.',
      faults: leader && followers.length > 0 ? [{ kind: 'partition', groups: [[leader], [...followers, REGISTRY_PARTY]] }] : needLeader,
    },
    {
      id: 'split',
      name: 'Split majority / minority',
      explains: 'The leader keeps a majority; the minority cannot gather one — under Raft it never wins an election.',
      faults:
        leader && n >= 3
          ? (() => {
              const minority = followers.slice(followers.length - Math.floor((n - 1) / 2));
              const majority = nodeIds.filter((id) => !minority.includes(id));
              return [{ kind: 'partition', groups: [majority.concat(REGISTRY_PARTY), minority] } as LastingFault];
            })()
          : { unavailable: 'needs a leader and 3 nodes' },
    },
    {
      id: 'cut-one-way',
      name: 'Cut the leader → one follower (one way)',
      explains: `${followers[0] ?? 'A follower'} stops hearing the leader and calls an election, though the leader still hears it.`,
      faults: leader && followers[0] ? [{ kind: 'cut', from: leader, to: followers[0] }] : needLeader,
    },
    {
      id: 'bridge',
      name: 'Bridge',
      explains: 'Two halves that share one node: only the bridge hears both sides, so each half may follow a different leader.',
      faults:
        n >= 3
          ? (() => {
              const bridge = followers[0] ?? nodeIds[0]!;
              const rest = nodeIds.filter((id) => id !== bridge);
              const half = Math.ceil(rest.length / 2);
              const left = rest.slice(0, half);
              const right = rest.slice(half);
              const cuts: LastingFault[] = [];
              for (const a of left) for (const b of right) cuts.push({ kind: 'cut', from: a, to: b }, { kind: 'cut', from: b, to: a });
              return cuts;
            })()
          : { unavailable: 'needs 3 nodes' },
    },
    {
      id: 'ring',
      name: 'Ring',
      explains: 'Messages go one way round: each node is heard only by the next one, so news travels hop by hop.',
      faults:
        n >= 3
          ? nodeIds.flatMap((from, i) => nodeIds.filter((to, j) => j !== i && j !== (i + 1) % n).map((to): LastingFault => ({ kind: 'cut', from, to })))
          : { unavailable: 'needs 3 nodes' },
    },
    {
      id: 'slow',
      name: 'Slow network',
      explains: `Every message takes ${delayMs} ms more (give or take a quarter): heartbeats arrive late and timeouts fire.`,
      faults: delayMs > 0 ? [{ kind: 'delay', ms: delayMs, jitterMs: Math.round(delayMs / 4) }] : { unavailable: 'set a delay above 0 ms' },
    },
    {
      id: 'lossy',
      name: 'Lossy network',
      explains: `${lossPercent}% of messages on every link are lost: watch retries, missed heartbeats and needless elections.`,
      faults: lossPercent > 0 ? [{ kind: 'loss', rate: lossPercent / 100 }] : { unavailable: 'set a loss above 0%' },
    },
    {
      id: 'clock',
      name: "Skew a node's clock",
      explains: `${followers[0] ?? nodeIds[0] ?? 'A node'}'s clock runs 5 s ahead: only its own timers move — messages still take the same time.`,
      faults: followers[0] ?? nodeIds[0] ? [{ kind: 'clock', node: (followers[0] ?? nodeIds[0])!, offsetMs: 5000 }] : { unavailable: 'needs a node' },
    },
  ];
}

/** A lasting fault's time in force, for the leader timeline (endAt null: still in force). */
export type FaultPeriod = { id: string; description: string; startAt: number; endAt: number | null };

const MAX_PERIODS = 200;

/**
 * Folds fault events, and the list in force, into the periods each fault was active. An event
 * seen twice (a snapshot repeats history) changes nothing; the oldest periods go past 200.
 */
export function foldFaultPeriods(prev: readonly FaultPeriod[], events: readonly ClusterEvent[], inForce: readonly FaultView[] = []): readonly FaultPeriod[] {
  let out = prev;
  const open = (id: string) => out.findIndex((p) => p.id === id && p.endAt === null);
  for (const e of events) {
    if (e.kind === 'fault.network') {
      if (out.some((p) => p.id === e.data.id && p.startAt === e.time)) continue;
      out = [...out, { id: e.data.id, description: e.data.description, startAt: e.time, endAt: null }];
    } else if (e.kind === 'fault.healed') {
      const i = open(e.data.id);
      if (i < 0) continue;
      out = out.map((p, j) => (j === i ? { ...p, endAt: e.time } : p));
    }
  }
  for (const f of inForce) {
    if (open(f.id) >= 0) continue;
    out = [...out, { id: f.id, description: f.description, startAt: f.since, endAt: null }];
  }
  return out.length > MAX_PERIODS ? out.slice(-MAX_PERIODS) : out;
}

/**
 * Who the registry can reach, in one line, from the faults in force:
 * "Reaches n1 and n2 · cut off from n3 (both ways)", or "Reaches every node".
 */
export function registryReach(faults: readonly FaultView[], nodeIds: readonly string[]): string {
  const reach: string[] = [];
  const cut: string[] = [];
  const oneWay: string[] = [];
  for (const id of nodeIds) {
    const out = linkEffect(faults, REGISTRY_PARTY, id).cut;
    const back = linkEffect(faults, id, REGISTRY_PARTY).cut;
    if (out && back) cut.push(id);
    else if (out) oneWay.push(`${id} can reach it, not back`);
    else if (back) oneWay.push(`it can reach ${id}, not back`);
    else reach.push(id);
  }
  if (cut.length === 0 && oneWay.length === 0) return nodeIds.length === 0 ? 'Reaches no node yet' : 'Reaches every node';
  const parts = [reach.length > 0 ? `Reaches ${and(reach)}` : 'Reaches no node'];
  if (cut.length > 0) parts.push(`cut off from ${and(cut)} (both ways)`);
  parts.push(...oneWay);
  return parts.join(' · ');
}

function and(ids: readonly string[]): string {
  return ids.length <= 1 ? (ids[0] ?? '') : `${ids.slice(0, -1).join(', ')} and ${ids.at(-1)}`;
}

/** What clicking a link on the ring does next: none → cut a → b → cut both ways → none again. */
export type LinkEdit =
  | { kind: 'cut'; fault: LastingFault; label: string }
  | { kind: 'heal'; ids: string[]; label: string }
  | { kind: 'blocked'; by: string[]; label: string };

/** The step for the link between a and b (a before b in the ring's order), from the faults in force. */
export function nextLinkEdit(faults: readonly FaultView[], a: string, b: string): LinkEdit {
  const ab = linkEffect(faults, a, b).cut;
  const ba = linkEffect(faults, b, a).cut;
  if (!ab && !ba) return { kind: 'cut', fault: { kind: 'cut', from: a, to: b }, label: `cut ${a} → ${b}` };
  if (ab !== ba) {
    const [from, to] = ab ? [b, a] : [a, b];
    return { kind: 'cut', fault: { kind: 'cut', from, to }, label: `cut ${from} → ${to} too` };
  }
  // Both ways cut: heal it if only one-way cuts on this very link do it; a partition is healed from the list.
  const exact = faults.filter((f) => f.fault.kind === 'cut' && ((f.fault.from === a && f.fault.to === b) || (f.fault.from === b && f.fault.to === a)));
  const rest = faults.filter((f) => !exact.includes(f));
  if (!linkEffect(rest, a, b).cut && !linkEffect(rest, b, a).cut) return { kind: 'heal', ids: exact.map((f) => f.id), label: `heal ${a} ↔ ${b}` };
  const by = rest.filter((f) => linkEffect([f], a, b).cut || linkEffect([f], b, a).cut).map((f) => f.id);
  return { kind: 'blocked', by, label: `cut by ${by.join(', ')}: heal that in the list` };
}
