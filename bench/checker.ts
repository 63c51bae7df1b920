import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { checkLinearizability, findAnomalies } from '../server/src/check/index';
import { generateLinearizableHistory, injectStaleRead } from '../server/src/check/generate-history';

/**
 * `npx tsx bench/checker.ts`: how long the history checker takes on a generated linearizable
 * history of 10,000 ops over 100 keys from 10 clients (seeded, so every run checks the same
 * history), and on the same history with one stale read injected (which adds the work of
 * proving the violation and shrinking it to a witness). Prints medians; gates nothing.
 * `--runs N` sets the number of timed runs (default 15), after 3 warm-up runs.
 */
export interface CheckerBench {
  ops: number;
  keys: number;
  clients: number;
  runs: number;
  linearizableMedianMs: number;
  withStaleReadMedianMs: number;
  anomaliesMedianMs: number;
}

export function benchChecker(runs: number, shape = { ops: 10_000, keys: 100, clients: 10 }): CheckerBench {
  const history = generateLinearizableHistory({ seed: 1, ...shape });
  const injected = injectStaleRead(history, 7);
  if (!injected) throw new Error('the generated history has no read to make stale');

  const linearizableMedianMs = medianMs(runs, () => {
    if (checkLinearizability(history).verdict !== 'linearizable') throw new Error('expected a linearizable history');
  });
  const withStaleReadMedianMs = medianMs(runs, () => {
    if (checkLinearizability(injected.history).verdict !== 'not-linearizable') throw new Error('expected a violation');
  });
  const anomaliesMedianMs = medianMs(runs, () => findAnomalies(history));
  return { ...shape, runs, linearizableMedianMs, withStaleReadMedianMs, anomaliesMedianMs };
}

const WARM_UP_RUNS = 3;

export function medianMs(runs: number, work: () => void): number {
  for (let i = 0; i < WARM_UP_RUNS; i++) work();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    work();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const mid = times.length >> 1;
  return times.length % 2 === 1 ? times[mid]! : (times[mid - 1]! + times[mid]!) / 2;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' } } });
  const runs = Number(values.runs);
  if (!(Number.isInteger(runs) && runs > 0)) throw new Error('--runs must be a positive integer');
  const r = benchChecker(runs);
  console.log(`History checker, ${r.ops} ops over ${r.keys} keys from ${r.clients} clients (median of ${r.runs} runs):`);
  console.log(`  linearizability, linearizable history:       ${r.linearizableMedianMs.toFixed(1)} ms`);
  console.log(`  linearizability, one stale read (explained):  ${r.withStaleReadMedianMs.toFixed(1)} ms`);
  console.log(`  named anomalies (lost writes, stale reads):   ${r.anomaliesMedianMs.toFixed(1)} ms`);
}
