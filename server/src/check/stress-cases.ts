import type { History, HistoryOp } from '@clusterlab/shared';
import { Rng } from '@clusterlab/shared';

/**
 * Hand-built histories that used to defeat the search (it answered 'unknown' at its default
 * bound, or took seconds): many operations on one key overlapping at once. Every written value
 * is unique, as in our workloads, and each case's verdict is known by construction:
 *
 * - linearizable cases give every op that takes effect a point inside its interval (any time
 *   after invocation for an unknown outcome, or never) and play the points in order, so reads
 *   return what that order gives them;
 * - violated cases add to such a history reads that no order can explain, whatever the rest
 *   does: a value read, then another, then the first again, one after another in real time
 *   (with values written once, the first value's write would have to come both before and
 *   after the second's); a read that finished before the only write of its value began; or a
 *   read, begun after a write was acknowledged, of a value written once and acknowledged
 *   before that write began.
 */
export interface StressCase {
  readonly name: string;
  readonly family: StressFamily;
  readonly history: History;
  readonly linearizable: boolean;
}

export type StressFamily = 'overlapping' | 'unknown-chain' | 'ordered-reads';

export const STRESS_SIZES = [10, 20, 30, 40, 50] as const;

type Violation = 'a-b-a' | 'read-from-the-future' | 'stale-after-ack';

/** The 30 cases: three families, five sizes each (10–50 ops), one linearizable and one violated per size. */
export function stressCases(): StressCase[] {
  const cases: StressCase[] = [];
  const kinds: Violation[] = ['a-b-a', 'read-from-the-future', 'stale-after-ack'];
  for (const family of ['overlapping', 'unknown-chain', 'ordered-reads'] as const) {
    STRESS_SIZES.forEach((size, i) => {
      // Only the overlapping family has writes acknowledged before others begin.
      const violation = family === 'ordered-reads' ? 'a-b-a' : kinds[i % (family === 'overlapping' ? 3 : 2)]!;
      cases.push(stressCase(family, size, false, 1000 + i));
      cases.push(stressCase(family, size, violation, 2000 + i));
    });
  }
  return cases;
}

/** One case of `size` ops; `violation` false for a linearizable one. */
export function stressCase(family: StressFamily, size: number, violation: Violation | false, seed: number): StressCase {
  const prng = new Rng(seed);
  const extra = violation === false ? 0 : violation === 'a-b-a' ? 3 : 1;
  const base = FAMILIES[family](prng, size - extra);
  let ops = playOut(base);
  if (violation !== false) ops = inject(ops, violation, prng);
  const history = ops
    .sort((a, b) => a.invokeMs - b.invokeMs)
    .map((op, i): HistoryOp => ({
      id: i + 1,
      client: `c${i + 1}`,
      kind: op.kind,
      key: 'k',
      value: op.value,
      invokeMs: round(op.invokeMs),
      completeMs: op.completeMs === null ? null : round(op.completeMs),
      outcome: op.completeMs === null ? 'unknown' : 'ok',
    }));
  const name = `${family} ${size} ops, ${violation === false ? 'linearizable' : violation}`;
  return { name, family, history, linearizable: violation === false };
}

interface Planned {
  kind: 'read' | 'write';
  value: string | null;
  invokeMs: number;
  /** Null for an unknown outcome (writes only). */
  completeMs: number | null;
  /** When it takes effect; null if it never does. */
  effectMs: number | null;
}

const FAMILIES: Record<StressFamily, (prng: Rng, size: number) => Planned[]> = {
  /** Ops started every 10 ms that each last 100–350 ms: twenty or more in flight at any moment. */
  overlapping(prng, size) {
    const ops: Planned[] = [];
    for (let i = 0; i < size; i++) {
      const invokeMs = i * 10 + prng.uniform(0, 5);
      const completeMs = invokeMs + prng.uniform(100, 350);
      const kind = i < 2 || prng.chance(0.55) ? 'write' : 'read';
      ops.push({ kind, value: kind === 'write' ? `v${i}` : null, invokeMs, completeMs, effectMs: prng.uniform(invokeMs, completeMs) });
    }
    return ops;
  },
  /** Writes one after another that all time out, most applied much later and out of order, with reads between. */
  'unknown-chain'(prng, size) {
    const ops: Planned[] = [];
    for (let i = 0; i < size; i++) {
      const invokeMs = i * 10 + prng.uniform(0, 5);
      if (i % 2 === 0) {
        const effectMs = prng.chance(0.9) ? invokeMs + prng.uniform(0, 600) : null;
        ops.push({ kind: 'write', value: `v${i}`, invokeMs, completeMs: null, effectMs });
      } else {
        const completeMs = invokeMs + prng.uniform(20, 60);
        ops.push({ kind: 'read', value: null, invokeMs, completeMs, effectMs: prng.uniform(invokeMs, completeMs) });
      }
    }
    return ops;
  },
  /** Writes all in flight together, and reads one after another that watch them land one by one. */
  'ordered-reads'(prng, size) {
    const writes = Math.ceil(size / 2);
    const reads = size - writes;
    const ops: Planned[] = [];
    const span = 20 * (reads + 1);
    for (let i = 0; i < writes; i++) {
      const invokeMs = prng.uniform(0, 10);
      ops.push({ kind: 'write', value: `v${i}`, invokeMs, completeMs: span + prng.uniform(20, 40), effectMs: prng.uniform(15, span) });
    }
    for (let j = 0; j < reads; j++) {
      const invokeMs = 15 + j * 20;
      ops.push({ kind: 'read', value: null, invokeMs, completeMs: invokeMs + 10, effectMs: invokeMs + 5 });
    }
    return ops;
  },
};

/** Gives each read the value its effect point sees, playing the points in order. */
function playOut(ops: Planned[]): Planned[] {
  let value: string | null = null;
  for (const op of [...ops].filter((o) => o.effectMs !== null).sort((a, b) => a.effectMs! - b.effectMs!)) {
    if (op.kind === 'read') op.value = value;
    else value = op.value;
  }
  return ops;
}

/** Adds the reads no order can explain (see StressCase), late in the history where the search has the most to undo. */
function inject(ops: Planned[], violation: Violation, prng: Rng): Planned[] {
  const writes = ops.filter((op) => op.kind === 'write');
  const lastInvoke = Math.max(...ops.map((op) => op.invokeMs));
  const read = (value: string | null, invokeMs: number): Planned => ({ kind: 'read', value, invokeMs, completeMs: invokeMs + 3, effectMs: null });
  switch (violation) {
    case 'a-b-a': {
      const [a, b] = pickTwo(writes, prng);
      const t = lastInvoke + 1;
      return [...ops, read(a.value, t), read(b.value, t + 5), read(a.value, t + 10)];
    }
    case 'read-from-the-future': {
      const byInvoke = [...writes].sort((x, y) => x.invokeMs - y.invokeMs);
      const w = byInvoke[byInvoke.length - 1 - prng.int(Math.min(3, byInvoke.length))]!;
      return [...ops, read(w.value, w.invokeMs - 10)];
    }
    case 'stale-after-ack': {
      // An acknowledged write, and an acknowledged write begun after it; read the first after both.
      const acked = writes.filter((w) => w.completeMs !== null).sort((x, y) => x.completeMs! - y.completeMs!);
      const first = acked[0]!;
      const second = acked.find((w) => w.invokeMs > first.completeMs!);
      if (!second) throw new Error('stress case: no write begun after another was acknowledged');
      return [...ops, read(first.value, Math.max(second.completeMs!, lastInvoke) + 1)];
    }
  }
}

function pickTwo<T>(items: readonly T[], prng: Rng): [T, T] {
  const i = prng.int(items.length);
  const j = (i + 1 + prng.int(items.length - 1)) % items.length;
  return [items[i]!, items[j]!];
}

const round = (ms: number) => Math.round(ms * 100) / 100;
