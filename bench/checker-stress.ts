import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { checkLinearizability } from '../server/src/check/index';
import { generateLinearizableHistory } from '../server/src/check/generate-history';
import { stressCases } from '../server/src/check/stress-cases';
import { medianMs } from './checker';

/**
 * `npm run bench -- --checker-stress` (or `npx tsx bench/checker-stress.ts`): how long the
 * linearizability checker takes on each of the 30 hand-built stress cases (one key, up to 50
 * overlapping ops; violations include explaining them), and on a generated linearizable
 * history of 100,000 ops over 100 keys. Prints medians; gates nothing. `--runs N` (default 15).
 */
export interface StressBench {
  runs: number;
  cases: { name: string; ops: number; verdict: string; method: string; medianMs: number }[];
  scale: { ops: number; keys: number; clients: number; medianMs: number; keysBySearch: number; slowestKey: { key: string; ms: number } };
}

export function benchCheckerStress(runs: number, scaleShape = { ops: 100_000, keys: 100, clients: 10 }): StressBench {
  const cases = stressCases().map((c) => {
    const result = checkLinearizability(c.history);
    const expected = c.linearizable ? 'linearizable' : 'not-linearizable';
    if (result.verdict !== expected) throw new Error(`${c.name}: expected ${expected}, got ${result.verdict}`);
    return { name: c.name, ops: c.history.length, verdict: result.verdict, method: result.keys[0]!.method, medianMs: medianMs(runs, () => checkLinearizability(c.history)) };
  });

  const history = generateLinearizableHistory({ seed: 1, ...scaleShape });
  const result = checkLinearizability(history);
  if (result.verdict !== 'linearizable') throw new Error(`expected the generated history to be linearizable, got ${result.verdict}`);
  const slowest = result.keys.reduce((a, b) => (b.ms > a.ms ? b : a));
  const scale = {
    ...scaleShape,
    medianMs: medianMs(runs, () => checkLinearizability(history)),
    keysBySearch: result.keys.filter((k) => k.method === 'search').length,
    slowestKey: { key: slowest.key, ms: slowest.ms },
  };
  return { runs, cases, scale };
}

export function printStressBench(r: StressBench, say: (line: string) => void): void {
  say(`Linearizability checker on the stress cases (median of ${r.runs} runs each; a violation's time includes explaining it):`);
  for (const c of r.cases) say(`  ${c.name.padEnd(46)} ${String(c.ops).padStart(3)} ops  ${c.verdict.padEnd(16)} ${c.method.padEnd(13)} ${c.medianMs.toFixed(2).padStart(7)} ms`);
  const times = r.cases.map((c) => c.medianMs).sort((a, b) => a - b);
  say(`  slowest case ${times[times.length - 1]!.toFixed(2)} ms, median case ${times[times.length >> 1]!.toFixed(2)} ms`);
  const s = r.scale;
  say(`\n${s.ops.toLocaleString('en')} ops over ${s.keys} keys from ${s.clients} clients, linearizable: median ${s.medianMs.toFixed(0)} ms (${s.keysBySearch} of ${s.keys} keys needed the search; slowest key ${s.slowestKey.key}, ${s.slowestKey.ms.toFixed(1)} ms)`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' } } });
  const runs = Number(values.runs);
  if (!(Number.isInteger(runs) && runs > 0)) throw new Error('--runs must be a positive integer');
  printStressBench(benchCheckerStress(runs), (line) => console.log(line));
}
