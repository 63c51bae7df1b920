import { readFileSync } from 'node:fs';

/** Resident set size of one process, from /proc/<pid>/status; `undefined` if it is gone (or not Linux). */
export function readMemKiB(pid: number): { rssKiB: number; hwmKiB: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = /^VmRSS:\s+(\d+) kB/m.exec(status);
    const hwm = /^VmHWM:\s+(\d+) kB/m.exec(status);
    if (!rss) return undefined;
    return { rssKiB: Number(rss[1]), hwmKiB: hwm ? Number(hwm[1]) : Number(rss[1]) };
  } catch {
    return undefined;
  }
}

export type ProcessRss = {
  pid: number;
  /** VmRSS just before the load started. */
  beforeMiB: number | null;
  /** Highest VmRSS seen while sampling. */
  maxMiB: number | null;
  /** VmHWM (peak RSS over the process's whole life) when sampling stopped: catches a peak between samples. */
  peakMiB: number | null;
  samples: number;
};

export type RssReport = {
  intervalMs: number;
  /** Per process name (n1, n2, …, or etcd member names). */
  processes: Record<string, ProcessRss>;
  /** The highest sampled VmRSS of any of them. */
  overallMaxMiB: number | null;
};

const mib = (kib: number) => Math.round((kib / 1024) * 10) / 10;

/**
 * Samples the RSS of named processes every `intervalMs` until `stop()`; at most `maxSamples`
 * rounds, whatever happens to the caller.
 */
export function sampleRss(pids: Record<string, number>, intervalMs: number, maxSamples: number): { stop: () => RssReport } {
  const procs: Record<string, ProcessRss> = {};
  for (const [name, pid] of Object.entries(pids)) {
    const now = readMemKiB(pid);
    procs[name] = { pid, beforeMiB: now ? mib(now.rssKiB) : null, maxMiB: null, peakMiB: null, samples: 0 };
  }
  let rounds = 0;
  const take = () => {
    rounds++;
    for (const p of Object.values(procs)) {
      const m = readMemKiB(p.pid);
      if (!m) continue;
      p.samples++;
      p.maxMiB = Math.max(p.maxMiB ?? 0, mib(m.rssKiB));
    }
    if (rounds >= maxSamples) clearInterval(timer);
  };
  const timer = setInterval(take, intervalMs);
  take();
  return {
    stop() {
      clearInterval(timer);
      take();
      for (const p of Object.values(procs)) {
        const m = readMemKiB(p.pid);
        if (m) p.peakMiB = mib(m.hwmKiB);
      }
      const maxes = Object.values(procs).flatMap((p) => (p.maxMiB === null ? [] : [p.maxMiB]));
      return { intervalMs, processes: procs, overallMaxMiB: maxes.length ? Math.max(...maxes) : null };
    },
  };
}

export function fmtRss(r: RssReport): string {
  const f = (v: number | null) => (v === null ? '–' : `${v.toFixed(1)} MiB`);
  const parts = Object.entries(r.processes).map(([name, p]) => `${name} ${f(p.maxMiB)}`);
  return `${parts.join(' · ')} · overall max ${f(r.overallMaxMiB)}`;
}

export function fmtRssDetail(r: RssReport): string {
  const f = (v: number | null) => (v === null ? '–' : v.toFixed(1));
  return Object.entries(r.processes)
    .map(([name, p]) => `${name} ${f(p.beforeMiB)} → ${f(p.maxMiB)} (peak ever ${f(p.peakMiB)}, ${p.samples} samples)`)
    .join(' · ');
}
