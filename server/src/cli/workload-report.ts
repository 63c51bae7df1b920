import type { ClusterSettings, LatencySummary, WorkloadView } from '@clusterlab/shared';

/**
 * Words for a workload run on real processes, in the simulator's report format (rows under a
 * one-line header), and whether the algorithm broke a promise it makes: Raft promises that no
 * acknowledged write is lost, and that a read with read=linearizable is linearizable. Bully
 * promises neither — what it loses is the lesson, not a failure.
 */
const SHOWN = 5;

export type Promises = { kept: boolean; line: string };

export function promisesOf(view: WorkloadView, settings: ClusterSettings): Promises {
  const v = view.verdict;
  if (!v) return { kept: false, line: `✗ not checked: ${view.error ?? 'no verdict'}` };
  if (settings.algorithm !== 'raft') return { kept: true, line: 'bully promises neither durability of acknowledged writes nor linearizable reads; see above for what it kept' };
  const broken: string[] = [];
  if (v.lostWrites > 0) broken.push(`lost ${v.lostWrites} acknowledged write${v.lostWrites === 1 ? '' : 's'}`);
  if (view.spec.read === 'linearizable' && v.outcome === 'not-linearizable') broken.push('returned reads that are not linearizable, with read=linearizable');
  if (v.bank && v.bank.broken > 0) broken.push('let a read see money made or lost, or a debt');
  if (broken.length > 0) return { kept: false, line: `✗ Raft BROKE a promise: it ${broken.join(' and ')}` };
  const reads = view.spec.read === 'linearizable' ? ', and every read was linearizable' : '';
  return { kept: true, line: `✓ Raft kept its promises: no acknowledged write lost${reads}` };
}

export function formatWorkloadReport(view: WorkloadView, header: string, settings: ClusterSettings): string {
  const lines = [`Clusterlab workload on real processes — ${header}`, ''];
  const c = view.counts;
  const seconds = ((view.endedAt ?? Date.now()) - view.startedAt) / 1000;
  const total = Object.values(c).reduce((n, k) => n + k.ok + k.fail + k.unknown, 0);
  lines.push(row('faults', view.faults.length === 0 ? 'none' : `${view.faults.length} in force during the run`));
  for (const f of view.faults.slice(0, 12)) {
    const span = `t=${secs(f.fromMs)}–${f.toMs === null ? 'end' : secs(f.toMs)}`;
    lines.push(`${indent}${span} ${f.description}${f.bit ? '' : ' — DID NOT BITE'}: ${f.effect}`);
  }
  if (view.faults.length > 12) lines.push(`${indent}… and ${view.faults.length - 12} more`);
  if (view.spec.kind === 'bank') {
    // A bank's writes are its transfers' (and opening's) compare-and-sets, one per account touched.
    lines.push(row('accounts', `${c.cas.ok} balances set · ${c.cas.fail} refused (an account had moved on) · ${c.cas.unknown} unknown`));
    if (view.verdict?.bank) lines.push(row('bank', `${view.verdict.bank.broken === 0 ? '✓' : '✗'} ${view.verdict.bank.sentences[0]}`));
  } else {
    lines.push(row('writes', `${c.write.ok} acknowledged · ${c.write.fail} failed · ${c.write.unknown} unknown`));
    lines.push(row('deletes', `${c.delete.ok} acknowledged · ${c.delete.fail} failed · ${c.delete.unknown} unknown`));
  }
  if (view.spec.kind !== 'bank' && view.spec.mix.cas > 0) lines.push(row('cas', `${c.cas.ok} applied · ${c.cas.fail} refused (the key had moved on) · ${c.cas.unknown} unknown`));
  lines.push(row('reads', `${c.read.ok} answered · ${c.read.fail} failed · ${c.read.unknown} unanswered (through ${view.spec.through})`));
  lines.push(row('throughput', `${n(Math.round(total / Math.max(seconds, 0.001)))} ops/s over ${seconds.toFixed(1)} s (${n(total)} operations)`));
  lines.push(row('latency', `reads ${latency(view.latency.read)} · writes ${latency(view.latency.write)}`));
  const v = view.verdict;
  if (!v) {
    lines.push(row('checker', `✗ ${view.error ?? 'no verdict'}`));
  } else {
    const mark = v.outcome === 'linearizable' ? '✓' : v.outcome === 'unknown' ? '?' : '✗';
    lines.push(row('checker', `${mark} ${v.summary} (checked in ${n(Math.round(v.checkMs))} ms)`));
    lines.push(row('anomalies', `${v.lostWrites} lost acknowledged writes · ${v.staleReads} stale reads · ${v.divergentReplicas} keys on divergent replicas`));
    for (const kind of ['lost-write', 'stale-read', 'divergent-replicas'] as const) {
      const of = v.anomalies.filter((a) => a.kind === kind);
      for (const a of of.slice(0, SHOWN)) lines.push(`${indent}${a.sentence}`);
      if (of.length > SHOWN) lines.push(`${indent}… and ${of.length - SHOWN} more`);
    }
    if (v.outcome !== 'linearizable') {
      const detail = v.keys.filter((k) => k.explanation).flatMap((k) => k.explanation!.split('\n'));
      for (const l of detail.slice(0, 16)) lines.push(`${indent}${l}`);
      if (detail.length > 16) lines.push(`${indent}…`);
    }
    for (const note of v.notes) lines.push(`${indent}Note: ${note}`);
  }
  lines.push(row('promises', promisesOf(view, settings).line));
  return lines.join('\n');
}

const indent = ' '.repeat(13);

function row(label: string, text: string): string {
  return `  ${label.padEnd(11)}${text}`;
}

function latency(l: LatencySummary): string {
  return l === null ? 'none completed' : `p50 ${l.p50} ms, p99 ${l.p99} ms, max ${l.max} ms`;
}

function secs(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

function n(x: number): string {
  return x.toLocaleString('en-US');
}
