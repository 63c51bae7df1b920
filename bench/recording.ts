import { BenchCluster } from './lib/cluster';
import { summarize } from './lib/stats';
import { measureLoad } from './throughput';

/** `traceBytes`: what the run's trace grew by during the load (null when not recorded). */
export type RecordingRun = { run: number; recorded: boolean; writesPerSec: number; p99Ms: number; traceBytes: number | null; seconds: number };

/**
 * What recording every run costs: the same 64-client write load on a fresh cluster with
 * recording on and off (--no-record), alternating, and how much trace a busy minute makes.
 */
export async function benchRecording(runs: number, durationS: number, clusterArgs: string[], onRun: (r: RecordingRun) => void) {
  const all: RecordingRun[] = [];
  for (let run = 1; run <= runs; run++) {
    for (const recorded of run % 2 === 1 ? [true, false] : [false, true]) {
      const sup = await BenchCluster.start(3, recorded ? clusterArgs : [...clusterArgs, '--no-record']);
      try {
        const traceBytes = async () => ((await (await sup.api('/api/runs')).json()) as { runs: { bytes: number }[] }).runs[0]?.bytes ?? null;
        const before = await traceBytes();
        const started = Date.now();
        const load = await measureLoad(sup, 64, durationS, false);
        const seconds = (Date.now() - started) / 1000;
        const after = await traceBytes();
        const r = { run, recorded, writesPerSec: load.writesPerSec, p99Ms: load.p99Ms, traceBytes: after === null || before === null ? null : after - before, seconds };
        all.push(r);
        onRun(r);
      } finally {
        await sup.stop();
      }
    }
  }
  const on = all.filter((r) => r.recorded);
  const off = all.filter((r) => !r.recorded);
  const perMinute = on.map((r) => ((r.traceBytes ?? 0) / r.seconds) * 60);
  const med = (v: number[]) => summarize(v).median;
  return {
    runs: all,
    medians: { recorded: med(on.map((r) => r.writesPerSec)), unrecorded: med(off.map((r) => r.writesPerSec)), traceBytesPerMinute: med(perMinute) },
  };
}
