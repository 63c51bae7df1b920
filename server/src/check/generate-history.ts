import type { History, HistoryOp } from '@clusterlab/shared';
import { Rng } from '@clusterlab/shared';

export interface GenerateOptions {
  readonly seed: number;
  readonly ops: number;
  readonly keys: number;
  readonly clients: number;
  /** Share of writes and deletes that time out: they may or may not take effect (default 0.02). */
  readonly unknownRate?: number;
  /** Share of ops that fail cleanly and never take effect (default 0.01). */
  readonly failRate?: number;
  /**
   * Share of writes and deletes made conditional (cas), each expecting what the key holds at
   * the instant it takes effect, as a client that has just read it would (default 0: none,
   * and then the same seed gives the same history as before cas existed).
   */
  readonly casRate?: number;
}

/**
 * A history that is linearizable by construction, for tests and benchmarks: clients issue ops
 * one after another with random think times and latencies, so ops of different clients overlap;
 * each op that takes effect does so at a random instant inside its interval (its linearization
 * point), and applying them in that order to a map of registers gives every read its value.
 * Timed-out writes take effect at a random later moment half of the time and never otherwise.
 * Every written value is unique, so a read's value names the write it came from. A cas that
 * never takes effect (failed, or timed out for good) expects what the key held when it was
 * invoked: a client that read just too early.
 */
export function generateLinearizableHistory(options: GenerateOptions): History {
  const prng = new Rng(options.seed);
  const unknownRate = options.unknownRate ?? 0.02;
  const failRate = options.failRate ?? 0.01;
  const casRate = options.casRate ?? 0;

  interface Planned {
    op: Omit<HistoryOp, 'id'>;
    /** When it takes effect; null if it never does. */
    effectMs: number | null;
  }
  const planned: Planned[] = [];
  const clockMs = Array.from({ length: options.clients }, () => prng.uniform(0, 10));
  let written = 0;

  for (let i = 0; i < options.ops; i++) {
    const c = i % options.clients;
    const invokeMs = clockMs[c]! + prng.uniform(0, 20);
    const latencyMs = prng.uniform(1, 50);
    const roll = prng.next();
    const plain: HistoryOp['kind'] = roll < 0.5 ? 'read' : roll < 0.9 ? 'write' : 'delete';
    // chance(0) draws nothing, so without cas the sequence of draws is as it always was.
    const kind: HistoryOp['kind'] = plain !== 'read' && prng.chance(casRate) ? 'cas' : plain;
    const outcome: HistoryOp['outcome'] = prng.chance(failRate)
      ? 'fail'
      : kind !== 'read' && prng.chance(unknownRate)
        ? 'unknown'
        : 'ok';
    const key = `k${prng.int(options.keys)}`;
    const value = plain === 'write' ? `v${++written}` : null;
    const completeMs = outcome === 'unknown' ? null : invokeMs + latencyMs;

    let effectMs: number | null = null;
    if (outcome === 'ok') effectMs = invokeMs + prng.next() * latencyMs;
    if (outcome === 'unknown' && prng.chance(0.5)) effectMs = invokeMs + prng.next() * latencyMs * 3;

    const op: Omit<HistoryOp, 'id'> = { client: `c${c + 1}`, kind, key, value, invokeMs, completeMs, outcome };
    if (kind === 'cas') op.expected = null;
    planned.push({ op, effectMs });
    clockMs[c] = invokeMs + latencyMs;
  }

  // Play the effects in linearization order against one register per key; a cas that never
  // takes effect looks at the register when it is invoked.
  const registers = new Map<string, string | null>();
  const moments = planned
    .map((p) => ({ ...p, atMs: p.effectMs ?? (p.op.kind === 'cas' ? p.op.invokeMs : null) }))
    .filter((m): m is typeof m & { atMs: number } => m.atMs !== null)
    .sort((a, b) => a.atMs - b.atMs);
  for (const { op, effectMs } of moments) {
    const held = registers.get(op.key) ?? null;
    if (op.kind === 'read') op.value = held;
    else if (op.kind === 'cas') op.expected = held;
    if (op.kind !== 'read' && effectMs !== null) registers.set(op.key, op.value);
  }

  return planned
    .map((p) => p.op)
    .sort((a, b) => a.invokeMs - b.invokeMs)
    .map((op, i) => ({ id: i + 1, ...op }));
}

/**
 * Makes one read stale: picks an acknowledged read R with an acknowledged write W of the same
 * key finished before R started, and an acknowledged write S finished before W started, and
 * makes R return S's value. With unique values no order can explain that. Returns the changed
 * history and the read's id, or undefined if no read has such a past.
 */
export function injectStaleRead(history: History, seed: number): { history: History; readOpId: number; sourceOpId: number } | undefined {
  const prng = new Rng(seed);
  const reads = history.filter((op) => op.kind === 'read' && op.outcome === 'ok');
  const start = prng.int(Math.max(1, reads.length));
  for (let n = 0; n < reads.length; n++) {
    const read = reads[(start + n) % reads.length]!;
    const acked = history.filter((op) => op.key === read.key && op.kind !== 'read' && op.outcome === 'ok');
    const overwrite = latest(acked.filter((w) => w.completeMs! < read.invokeMs));
    if (!overwrite) continue;
    const source = latest(acked.filter((s) => s.kind === 'write' && s.completeMs! < overwrite.invokeMs));
    if (!source) continue;
    const changed = history.map((op) => (op.id === read.id ? { ...op, value: source.value } : op));
    return { history: changed, readOpId: read.id, sourceOpId: source.id };
  }
  return undefined;
}

/**
 * Makes two cas succeed from one value: picks an acknowledged cas C that expected a value (not
 * absent, so written once) and an acknowledged cas D invoked after it, and makes D expect what
 * C did. With
 * unique values that value had one write, and whichever of C and D came second would have
 * found it replaced by the first. Undefined when the history has no such pair.
 */
export function injectDoubleCas(history: History, seed: number): { history: History; casOpIds: [number, number] } | undefined {
  const prng = new Rng(seed);
  const cas = history.filter((op) => op.kind === 'cas' && op.outcome === 'ok');
  const start = prng.int(Math.max(1, cas.length));
  for (let n = 0; n < cas.length; n++) {
    const first = cas[(start + n) % cas.length]!;
    if (first.expected === null) continue;
    // A later one, so the value it now expects was written before it: not a read from the future.
    const second = cas.find((op) => op.key === first.key && op.invokeMs > first.invokeMs && op.value !== first.expected);
    if (!second) continue;
    const changed = history.map((op) => (op.id === second.id ? { ...op, expected: first.expected } : op));
    return { history: changed, casOpIds: [first.id, second.id] };
  }
  return undefined;
}

function latest(ops: HistoryOp[]): HistoryOp | undefined {
  return ops.reduce<HistoryOp | undefined>((best, op) => (!best || op.completeMs! > best.completeMs! ? op : best), undefined);
}

/**
 * A tiny history on one key ('k') with a handful of ops, small integer times and only the
 * values 1 and 2, so that ops overlap, values repeat, and both verdicts are common: food for
 * comparing the search against brute force, and the anomalies against the search. With `cas`,
 * about a fifth of the ops are cas, from and to 1, 2 or absent; without, the same prng gives
 * the same histories as before cas existed.
 */
export function randomSmallHistory(prng: Rng, size: number, options: { cas?: boolean } = {}): History {
  const history: HistoryOp[] = [];
  for (let id = 1; id <= size; id++) {
    const invokeMs = prng.int(10);
    const completeMs = invokeMs + prng.int(6);
    const roll = prng.next();
    const kind: HistoryOp['kind'] = options.cas
      ? roll < 0.45 ? 'read' : roll < 0.72 ? 'write' : roll < 0.82 ? 'delete' : 'cas'
      : roll < 0.5 ? 'read' : roll < 0.85 ? 'write' : 'delete';
    const pick = prng.int(3);
    const value = kind === 'delete' ? null : kind === 'write' ? String(pick + 1) : pick === 0 ? null : String(pick);
    const outcome: HistoryOp['outcome'] = prng.chance(0.15) ? 'unknown' : prng.chance(0.05) ? 'fail' : 'ok';
    const op: HistoryOp = { id, client: `c${id}`, kind, key: 'k', value, invokeMs, completeMs: outcome === 'unknown' ? null : completeMs, outcome };
    if (kind === 'cas') {
      const expected = prng.int(3);
      op.expected = expected === 0 ? null : String(expected);
    }
    history.push(op);
  }
  return history;
}
