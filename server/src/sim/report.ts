import { describeFault, faultFamily, formatTerm, isHeal, type FaultFamily, type History, type HistoryOp, type TimedFault } from '@clusterlab/shared';
import { explainLostWrite } from './explain';
import { formatDuration, type SimOptions } from './options';
import type { SimResult } from './runner';

/**
 * Words for a run: the summary `npm run sim` prints. Times are virtual seconds since the run
 * began (t=4.86 s), in the checker's sentences too.
 */
const SHOWN_PER_KIND = 5;

export type OpCounts = Record<HistoryOp['kind'], Record<HistoryOp['outcome'], number>>;

export function countOps(history: History): OpCounts {
  const zero = () => ({ ok: 0, fail: 0, unknown: 0 });
  const counts: OpCounts = { read: zero(), write: zero(), delete: zero(), cas: zero() };
  for (const op of history) counts[op.kind][op.outcome]++;
  return counts;
}

/** Which findings a run has, as yes/no, for rates over many seeds. */
export type Findings = {
  violation: boolean;
  notLinearizable: boolean;
  undecided: boolean;
  lostWrites: boolean;
  staleReads: boolean;
  divergentReplicas: boolean;
  /** Ground truth: an acknowledged write is missing from the final log (seen by a read or not). */
  reallyLost: boolean;
  /** The checker called a write lost that the final log still holds (a checker false positive). */
  lostButPresent: boolean;
};

export function findings(r: SimResult): Findings {
  const a = r.check?.anomalies;
  return {
    violation: r.violation !== null,
    notLinearizable: r.check?.linearizability.verdict === 'not-linearizable',
    undecided: r.check?.linearizability.verdict === 'unknown',
    lostWrites: (a?.lostWrites.length ?? 0) > 0,
    staleReads: (a?.staleReads.length ?? 0) > 0,
    divergentReplicas: (a?.divergentReplicas.length ?? 0) > 0,
    reallyLost: r.lostAcknowledged.length > 0,
    lostButPresent: wronglyCalledLost(r).length > 0,
  };
}

/** Writes the checker calls lost although their entry is in the final log (only meaningful once the run settled). */
export function wronglyCalledLost(r: SimResult): number[] {
  if (!r.check || r.settledAtMs === null) return [];
  const reallyLost = new Set(r.lostAcknowledged.map((l) => l.opId));
  return r.check.anomalies.lostWrites.map((lw) => lw.writeOpId).filter((id) => !reallyLost.has(id));
}

export function formatRunReport(r: SimResult, wallMs?: number): string {
  const o = r.options;
  const lines: string[] = [];
  const faultsLabel = o.schedule ? `schedule ${o.schedule.file}` : o.faults.length > 0 ? `faults: ${o.faults.join(', ')}` : 'no faults';
  lines.push(
    `Clusterlab simulation — seed ${o.seed} · ${o.nodes} nodes · ${formatDuration(o.durationMs)} virtual · ${faultsLabel} · ${designLabel(o)}`,
    '',
  );
  lines.push(row('schedule', scheduleLine(r)));
  lines.push(row('leaders', leadersLine(r)));
  const c = countOps(r.history);
  lines.push(row('writes', `${c.write.ok} acknowledged · ${c.write.fail} failed · ${c.write.unknown} unknown`));
  lines.push(row('deletes', `${c.delete.ok} acknowledged · ${c.delete.fail} failed · ${c.delete.unknown} unknown`));
  lines.push(row('reads', `${c.read.ok} answered · ${c.read.fail} failed · ${c.read.unknown} unanswered (${o.clients} clients, ${o.keys} keys, reads at ${o.readFrom === 'home' ? "the client's home node" : 'random nodes'})`));
  const s = r.stats;
  lines.push(row('network', `${n(s.sent)} peer messages sent · ${n(s.delivered)} delivered · ${n(s.dropped)} lost · ${n(s.duplicated)} duplicated`));
  if (r.settledAtMs !== null && s.quietFromMs !== null) {
    lines.push(row('settled', `converged ${secs(r.settledAtMs - s.quietFromMs)} after every fault was mended (t=${secs(r.settledAtMs)})`));
    const lost = r.lostAcknowledged;
    const ids = lost.slice(0, 10).map((l) => `#${l.opId}`).join(', ');
    const named = new Set(r.check?.anomalies.lostWrites.map((lw) => lw.writeOpId) ?? []);
    const proven = r.check ? `; the history and the final state prove ${lost.filter((l) => named.has(l.opId)).length} of them` : '';
    lines.push(
      row(
        'final log',
        lost.length === 0
          ? 'holds every acknowledged write and delete'
          : `lacks ${lost.length} acknowledged writes/deletes (${ids}${lost.length > 10 ? ', …' : ''}): really lost, whether or not a client could tell${proven}`,
      ),
    );
    // Named lost writes get their story under "anomalies"; tell the first one no client could prove here.
    const hidden = r.check ? lost.find((l) => !named.has(l.opId)) : undefined;
    if (hidden) {
      lines.push(
        `${' '.repeat(13)}How #${hidden.opId} was lost: ${explainLostWrite(hidden.opId, r)}. Its key ended with a value that may have been ` +
          'written after it, so from outside it looks overwritten: only the log shows it is gone.',
      );
    }
  }
  if (r.violation) {
    lines.push(row('invariants', `✗ VIOLATED at t=${secs(r.violation.atMs)} — ${r.violation.rule}`));
    for (const l of r.violation.detail.split('\n').slice(0, 12)) lines.push(`${' '.repeat(13)}${l}`);
  } else {
    lines.push(row('invariants', `✓ held after each of ${n(r.coreSteps)} core steps`));
  }
  if (r.check) {
    const lin = r.check.linearizability;
    const mark = lin.verdict === 'linearizable' ? '✓' : lin.verdict === 'unknown' ? '?' : '✗';
    lines.push(row('checker', `${mark} ${lin.explanation.split('\n')[0]}`));
    lines.push(...anomalyLines(r));
  } else {
    lines.push(row('checker', 'not run (--no-check)'));
  }
  lines.push('', `replay: ${r.replay}`);
  if (wallMs !== undefined) lines.push(`took ${(wallMs / 1000).toFixed(2)} s of wall time for ${secs(r.endedAtMs)} of virtual time`);
  return lines.join('\n');
}

function scheduleLine(r: SimResult): string {
  const applied = r.schedule.filter((step): step is TimedFault => !isHeal(step));
  const first = applied[0];
  if (!first) return 'no faults';
  const byFamily = new Map<FaultFamily, number>();
  for (const { fault } of applied) byFamily.set(faultFamily(fault), (byFamily.get(faultFamily(fault)) ?? 0) + 1);
  const parts = [...byFamily].map(([f, count]) => `${f} ${count}`);
  const heals = r.schedule.length - applied.length;
  const many = (count: number, what: string) => `${count} ${what}${count === 1 ? '' : 's'}`;
  return `${many(applied.length, 'fault')} (${parts.join(', ')}) and ${many(heals, 'heal')}; first at t=${secs(first.at)}: ${describeFault(first.fault)}`;
}

function leadersLine(r: SimResult): string {
  const chain = r.stats.leaders.map((l) => `${l.node} (${formatTerm(r.options.settings.algorithm, l.term)})`);
  const shown = chain.length > 8 ? [...chain.slice(0, 3), '…', ...chain.slice(-4)] : chain;
  return `${r.stats.leaders.length} leaderships in ${r.leaders.length} ${r.options.settings.algorithm === 'bully' ? 'epochs' : 'terms'}, ${r.stats.electionsStarted} elections started, ${r.stats.steppedDown} step-downs: ${shown.join(' → ') || 'none'}`;
}

function anomalyLines(r: SimResult): string[] {
  const a = r.check!.anomalies;
  const lines = [
    row(
      'anomalies',
      `${a.lostWrites.length} lost acknowledged writes · ${a.staleReads.length} stale reads · ${a.divergentReplicas.length} keys on divergent replicas`,
    ),
  ];
  const indent = ' '.repeat(13);
  const byId = new Map(r.history.map((op) => [op.id, op]));
  for (const lw of a.lostWrites.slice(0, SHOWN_PER_KIND)) {
    lines.push(`${indent}${lw.sentence}`);
    lines.push(`${indent}  How: ${explainLostWrite(lw.writeOpId, r)}.`);
  }
  if (a.lostWrites.length > SHOWN_PER_KIND) lines.push(`${indent}… and ${a.lostWrites.length - SHOWN_PER_KIND} more lost writes`);
  const wrong = wronglyCalledLost(r);
  if (wrong.length > 0) {
    lines.push(`${indent}CHECKER BUG: the final log still holds ${wrong.length} of the writes called lost (${wrong.slice(0, 5).map((id) => `#${id}`).join(', ')}).`);
  }
  for (const sr of a.staleReads.slice(0, SHOWN_PER_KIND)) {
    const read = byId.get(sr.readOpId);
    lines.push(`${indent}${sr.sentence}${read?.node ? ` (served by ${read.node})` : ''}`);
  }
  if (a.staleReads.length > SHOWN_PER_KIND) lines.push(`${indent}… and ${a.staleReads.length - SHOWN_PER_KIND} more stale reads`);
  for (const d of a.divergentReplicas.slice(0, SHOWN_PER_KIND)) lines.push(`${indent}${d.sentence}`);
  if (a.lostWrites.length + a.staleReads.length + a.divergentReplicas.length === 0 && r.check!.linearizability.verdict === 'not-linearizable') {
    lines.push(`${indent}No named anomaly, but no order fits the history:`);
  }
  if (r.check!.linearizability.verdict !== 'linearizable') {
    const detail = r.check!.linearizability.explanation.split('\n').slice(1).filter((l) => l.trim() !== '');
    for (const l of detail.slice(0, 12)) lines.push(`${indent}${l}`);
    if (detail.length > 12) lines.push(`${indent}…`);
  }
  return lines;
}

function row(label: string, text: string): string {
  return `  ${label.padEnd(11)}${text}`;
}

function secs(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

function n(x: number): string {
  return x.toLocaleString('en-US');
}

/** What decides the promises of a run: the algorithm, and bully's write-ack mode or the reads asked for. */
export function designLabel(o: SimOptions): string {
  const design = o.settings.algorithm === 'raft' ? 'Raft' : `bully, write-ack ${o.settings.writeAck}`;
  return `${design} · reads ${o.readMode}`;
}
