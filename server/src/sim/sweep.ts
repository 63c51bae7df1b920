import type { FaultFamily } from '@clusterlab/shared';
import { formatDuration, type SimOptions } from './options';
import { bankBroken, designLabel, findings, wronglyCalledLost, type Findings } from './report';
import { runSimulation, type SimResult } from './runner';

/**
 * Many seeds at once: how often each kind of fault leads to a broken invariant (a bug) or to
 * an anomaly the checker names (a property of the design). One row per fault family on its
 * own, plus one with all of them mixed, so the rates can be told apart.
 */
export type SweepRow = {
  label: string;
  faults: FaultFamily[];
  seeds: number;
  counts: Record<keyof Findings, number>;
  wallMs: number;
  /** Up to a few seeds per finding, to replay. */
  examples: Partial<Record<keyof Findings, { seed: number; replay: string; note: string }[]>>;
};

const EXAMPLES_PER_FINDING = 3;

export function sweepRows(faults: readonly FaultFamily[]): { label: string; faults: FaultFamily[] }[] {
  if (faults.length === 0) return [{ label: 'none', faults: [] }];
  const rows: { label: string; faults: FaultFamily[] }[] = faults.map((f) => ({ label: f, faults: [f] }));
  if (faults.length > 1) rows.push({ label: 'mixed', faults: [...faults] });
  return rows;
}

/**
 * `wallClock` is the caller's (the CLI passes the real one): the simulator itself never
 * reads real time, and only seeds/second needs it.
 */
export function runSweep(
  base: SimOptions,
  seeds: readonly number[],
  rows: readonly { label: string; faults: FaultFamily[] }[],
  wallClock: () => number,
  onResult?: (row: string, r: SimResult) => void,
): SweepRow[] {
  return rows.map(({ label, faults }) => {
    const started = wallClock();
    const row: SweepRow = {
      label,
      faults,
      seeds: 0,
      counts: { violation: 0, notLinearizable: 0, undecided: 0, lostWrites: 0, staleReads: 0, divergentReplicas: 0, reallyLost: 0, lostButPresent: 0 },
      wallMs: 0,
      examples: {},
    };
    for (const seed of seeds) {
      const r = runSimulation({ ...base, seed, faults, schedule: undefined, trace: false });
      row.seeds++;
      const f = findings(r);
      for (const key of Object.keys(f) as (keyof Findings)[]) {
        if (!f[key]) continue;
        row.counts[key]++;
        const list = (row.examples[key] ??= []);
        if (list.length < EXAMPLES_PER_FINDING) list.push({ seed, replay: r.replay, note: noteFor(key, r) });
      }
      onResult?.(label, r);
    }
    row.wallMs = wallClock() - started;
    return row;
  });
}

function noteFor(key: keyof Findings, r: SimResult): string {
  const a = r.check?.anomalies;
  switch (key) {
    case 'violation':
      return r.violation ? `${r.violation.rule}: ${r.violation.detail.split('\n')[0]}` : `the bank's balances: ${bankBroken(r)}`;
    case 'lostWrites':
      return a!.lostWrites[0]!.sentence;
    case 'staleReads':
      return a!.staleReads[0]!.sentence;
    case 'divergentReplicas':
      return a!.divergentReplicas[0]!.sentence;
    case 'notLinearizable':
      return `${r.check!.linearizability.keys.filter((k) => k.verdict === 'not-linearizable').length} keys not linearizable`;
    case 'undecided':
      return 'the checker gave up on a key';
    case 'reallyLost':
      return `${r.lostAcknowledged.length} acknowledged writes missing from the final log`;
    case 'lostButPresent':
      return `the checker called ${wronglyCalledLost(r).length} writes lost that the final log holds`;
  }
}

export function formatSweepReport(base: SimOptions, seeds: readonly number[], rows: readonly SweepRow[]): string {
  const range = seeds.length > 1 ? `${seeds[0]}..${seeds.at(-1)}` : String(seeds[0]);
  const lines = [
    `Clusterlab sweep — seeds ${range} (${seeds.length} per row) · ${base.nodes} nodes · ${formatDuration(base.durationMs)} each · ${designLabel(base)}${base.check ? '' : ' · checker off'}`,
    '',
    `  ${'faults'.padEnd(12)}${'seeds'.padStart(6)}${'seeds/s'.padStart(9)}${'invariant✗'.padStart(12)}${'not-lin.'.padStart(10)}${'lost wr.'.padStart(10)}${'stale rd.'.padStart(11)}${'divergent'.padStart(11)}${'undecided'.padStart(11)}${'really lost'.padStart(13)}`,
  ];
  for (const r of rows) {
    const pct = (k: keyof Findings) => `${((100 * r.counts[k]) / Math.max(1, r.seeds)).toFixed(1)}%`;
    const perSecond = r.wallMs > 0 ? (r.seeds / (r.wallMs / 1000)).toFixed(1) : '—';
    lines.push(
      `  ${r.label.padEnd(12)}${String(r.seeds).padStart(6)}${perSecond.padStart(9)}${String(r.counts.violation).padStart(12)}${pct('notLinearizable').padStart(10)}${pct('lostWrites').padStart(10)}${pct('staleReads').padStart(11)}${pct('divergentReplicas').padStart(11)}${pct('undecided').padStart(11)}${pct('reallyLost').padStart(13)}`,
    );
  }
  const total = rows.reduce((acc, r) => ({ seeds: acc.seeds + r.seeds, ms: acc.ms + r.wallMs }), { seeds: 0, ms: 0 });
  lines.push('', `  ${total.seeds} runs in ${(total.ms / 1000).toFixed(1)} s of wall time: ${(total.seeds / Math.max(0.001, total.ms / 1000)).toFixed(1)} seeds/second`);

  lines.push(
    '',
    '  Columns: % of seeds with at least one. not-lin. = the checker found no valid order; lost wr., stale rd., divergent =',
    '  the named anomalies; really lost = an acknowledged write missing from the log the cluster converged on (ground truth).',
  );
  const falseLost = rows.reduce((n, r) => n + r.counts.lostButPresent, 0);
  if (falseLost > 0) {
    const e = rows.flatMap((r) => r.examples.lostButPresent ?? [])[0]!;
    lines.push(`  In ${falseLost} runs the checker called a write lost that the final log still holds (e.g. seed ${e.seed}: ${e.replay}).`);
  }
  const failures = rows.flatMap((r) => (r.examples.violation ?? []).map((e) => ({ ...e, row: r.label })));
  if (failures.length > 0) {
    lines.push('', '  INVARIANT VIOLATIONS (bugs) — replay with:');
    for (const f of failures) lines.push(`    seed ${f.seed} [${f.row}] ${f.note}`, `      ${f.replay}`);
  }
  const shown: (keyof Findings)[] = ['lostWrites', 'staleReads', 'divergentReplicas'];
  const examples = rows.flatMap((r) => shown.flatMap((k) => (r.examples[k] ?? []).slice(0, 1).map((e) => ({ ...e, row: r.label, k }))));
  if (examples.length > 0) {
    lines.push('', '  Examples of anomalies (the design, not a bug) — replay with:');
    for (const e of examples) lines.push(`    [${e.row}] seed ${e.seed}: ${e.note}`, `      ${e.replay}`);
  }
  return lines.join('\n');
}
