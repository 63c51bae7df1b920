import type { HistoryOp } from '@clusterlab/shared/history';

/*
 * The history diagram's layout: where each operation goes (a lane per client, rows within a
 * lane for an unanswered op the client moved on from), the time axis, and the words for an op.
 * Which operations to draw is shared/src/findings.ts.
 */

export type PlacedOp = { op: HistoryOp; lane: number; row: number; fromMs: number; toMs: number; open: boolean };
export type LaneLayout = {
  lanes: { client: string; rows: number; firstRow: number }[];
  ops: PlacedOp[];
  totalRows: number;
  fromMs: number;
  toMs: number;
};

/** c1, c2, …, c10: clients in the order a person counts them. */
export function compareClients(a: string, b: string): number {
  const na = /(\d+)$/.exec(a);
  const nb = /(\d+)$/.exec(b);
  const pa = na ? a.slice(0, na.index) : a;
  const pb = nb ? b.slice(0, nb.index) : b;
  return pa.localeCompare(pb) || (na && nb ? Number(na[1]) - Number(nb[1]) : 0) || a.localeCompare(b);
}

/**
 * One lane per client. A client does one op at a time, but one left unanswered (unknown) runs
 * on to the end of the view while the client goes on, so within a lane ops that overlap get a
 * row each (first fit). The view spans the ops, with `padMs` either side and room at the end for
 * open bars to read as open.
 */
export function laneLayout(ops: readonly HistoryOp[], padMs = 0): LaneLayout {
  if (ops.length === 0) return { lanes: [], ops: [], totalRows: 0, fromMs: 0, toMs: 1 };
  const fromMs = Math.min(...ops.map((op) => op.invokeMs)) - padMs;
  const lastEnd = Math.max(...ops.map((op) => op.completeMs ?? op.invokeMs));
  const toMs = Math.max(lastEnd + padMs, fromMs + 1);
  const clients = uniq(ops.map((op) => op.client)).sort(compareClients);
  const placed: PlacedOp[] = [];
  const lanes: LaneLayout['lanes'] = [];
  let firstRow = 0;
  clients.forEach((client, lane) => {
    const rowEnds: number[] = [];
    for (const op of ops.filter((o) => o.client === client).sort((a, b) => a.invokeMs - b.invokeMs || a.id - b.id)) {
      const open = op.completeMs === null;
      const end = open ? toMs : op.completeMs!;
      let row = rowEnds.findIndex((e) => e <= op.invokeMs);
      if (row === -1) row = rowEnds.length;
      rowEnds[row] = end;
      placed.push({ op, lane, row, fromMs: op.invokeMs, toMs: end, open });
    }
    const rows = Math.max(1, rowEnds.length);
    lanes.push({ client, rows, firstRow });
    firstRow += rows;
  });
  return { lanes, ops: placed, totalRows: firstRow, fromMs, toMs };
}

/**
 * Where a time goes across the diagram, as a fraction. `time`: in proportion to real time.
 * `order`: every invocation and answer gets the same room, in the order they happened
 * (Porcupine's way): real-time order — what linearizability is about — is kept, and an op of
 * 3 ms among seconds still gets a bar one can see and point at. Piecewise linear between
 * those instants, so fault bands and ticks map too.
 */
export function timeScale(layout: Pick<LaneLayout, 'ops' | 'fromMs' | 'toMs'>, mode: 'time' | 'order'): (ms: number) => number {
  const { fromMs, toMs } = layout;
  const span = toMs - fromMs || 1;
  if (mode === 'time') return (ms) => (Math.min(Math.max(ms, fromMs), toMs) - fromMs) / span;
  const instants = [...new Set([fromMs, toMs, ...layout.ops.flatMap((p) => (p.open ? [p.fromMs] : [p.fromMs, p.toMs]))])].sort((a, b) => a - b);
  const last = instants.length - 1;
  if (last < 1) return () => 0;
  return (ms) => {
    if (ms <= instants[0]!) return 0;
    if (ms >= instants[last]!) return 1;
    let lo = 0;
    let hi = last;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (instants[mid]! <= ms) lo = mid;
      else hi = mid;
    }
    const a = instants[lo]!;
    const b = instants[hi]!;
    return (lo + (ms - a) / (b - a)) / last;
  };
}

/** Round steps for a time axis over `spanMs`, about `target` ticks. */
export function tickStep(spanMs: number, target = 6): number {
  const raw = Math.max(1, spanMs / target);
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw)!;
  return step;
}

/** "write k3 = "v12"", "read k3 → "v12"", "read k3 → absent", "delete k3", "cas k3 "v12" → "v13"". */
export function opSummary(op: HistoryOp): string {
  const show = (x: string | null | undefined) => (x === null || x === undefined ? 'absent' : JSON.stringify(x));
  const v = show(op.value);
  if (op.kind === 'write') return `write ${op.key} = ${v}`;
  if (op.kind === 'cas') return `cas ${op.key} ${show(op.expected)} → ${v}`;
  if (op.kind === 'delete') return `delete ${op.key}`;
  return op.outcome === 'ok' ? `read ${op.key} → ${v}` : `read ${op.key}`;
}

/** The label drawn on a bar, shortest first: "W v12" / "R v12" / "C v13" / "D". */
export function opShortLabel(op: HistoryOp): string {
  const letter = op.kind === 'write' ? 'W' : op.kind === 'delete' ? 'D' : op.kind === 'cas' ? 'C' : 'R';
  if (op.kind === 'delete' || (op.kind === 'read' && op.outcome !== 'ok')) return letter;
  return `${letter} ${op.value === null ? '∅' : op.value}`;
}

const ms = (n: number) => `${(n / 1000).toFixed(3)} s`;

/** Everything about one op, as label/value pairs for the details box. */
export function opDetails(op: HistoryOp): [string, string][] {
  const rows: [string, string][] = [
    ['Operation', `#${op.id} by ${op.client}: ${opSummary(op)}`],
    ['Outcome', op.outcome === 'ok' ? 'ok: acknowledged' : op.outcome === 'fail' ? 'fail: definitely not applied' : 'unknown: no answer; it may or may not have taken effect'],
    ['Invoked', ms(op.invokeMs)],
    ['Completed', op.completeMs === null ? 'never answered' : `${ms(op.completeMs)} (${Math.round(op.completeMs - op.invokeMs)} ms later)`],
  ];
  if (op.node) rows.push(['Node', op.node]);
  if (op.reply) rows.push(['Reply', op.reply]);
  return rows;
}

/** One line, for an op's accessible name and tooltip. */
export function opLine(op: HistoryOp): string {
  return `${op.client} ${opSummary(op)}, ${op.outcome}, ${ms(op.invokeMs)} to ${op.completeMs === null ? 'no answer' : ms(op.completeMs)}${op.node ? ` via ${op.node}` : ''}`;
}

/**
 * Keyboard moves between drawn ops: left/right to the previous/next in time, up/down to the
 * nearest in time in the lane above/below.
 */
export function nextOp(layout: LaneLayout, currentId: number | null, key: string): number | null {
  const ops = [...layout.ops].sort((a, b) => a.fromMs - b.fromMs || a.op.id - b.op.id);
  if (ops.length === 0) return null;
  const i = ops.findIndex((p) => p.op.id === currentId);
  if (i === -1) return ops[0]!.op.id;
  const cur = ops[i]!;
  switch (key) {
    case 'ArrowRight':
      return ops[Math.min(ops.length - 1, i + 1)]!.op.id;
    case 'ArrowLeft':
      return ops[Math.max(0, i - 1)]!.op.id;
    case 'Home':
      return ops[0]!.op.id;
    case 'End':
      return ops.at(-1)!.op.id;
    case 'ArrowUp':
    case 'ArrowDown': {
      const dir = key === 'ArrowUp' ? -1 : 1;
      for (let lane = cur.lane + dir; lane >= 0 && lane < layout.lanes.length; lane += dir) {
        const inLane = ops.filter((p) => p.lane === lane);
        if (inLane.length === 0) continue;
        return inLane.reduce((best, p) => (Math.abs(p.fromMs - cur.fromMs) < Math.abs(best.fromMs - cur.fromMs) ? p : best)).op.id;
      }
      return cur.op.id;
    }
    default:
      return null;
  }
}

function uniq<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}
