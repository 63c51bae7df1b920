import { writeFileSync } from 'node:fs';
import { chromium, type CDPSession, type Page } from '@playwright/test';
import type { WorkloadView } from '@clusterlab/shared';
import { BenchCluster, settled } from './lib/cluster';

/**
 * The dashboard while a 64-client workload runs, in Playwright's Chromium (headless, no GPU, as
 * the browser stories run it) at 1280×800 with the Workload region on screen: frames per second
 * (requestAnimationFrame callbacks counted per 1-s window) and long tasks (PerformanceObserver
 * 'longtask', main-thread tasks over 50 ms). Three phases, in page time:
 *   idle     the same page before anything runs: the baseline, and the rAF cap of this browser
 *   run      from the clients' start to their stop (the view's startedAt → endedAt)
 *   verdict  from the clients' stop until the verdict and the history diagram are drawn, + 2 s
 */
export type PhaseFigures = {
  seconds: number;
  /** Frames in each whole 1-s window of the phase. */
  fpsWindows: number[];
  fpsMedian: number;
  fpsWorst: number;
  longTasks: number;
  longTaskTotalMs: number;
  longestTaskMs: number;
};

export type PageRunFigures = {
  idle: PhaseFigures;
  run: PhaseFigures;
  verdict: PhaseFigures;
  ops: number;
  opsPerSec: number;
  summary: string;
  /** Top self-time functions of the page's main thread during run + verdict, when profiled. */
  profileTop?: { fn: string; selfMs: number }[];
  /**
   * Time on the page's main thread by trace event (nested events counted in each), when traced:
   * per second of the idle phase, and per second of the run and verdict.
   */
  trace?: TraceSummary;
};

type Probe = { frames: number[]; longTasks: { start: number; duration: number }[] };

/**
 * Installed before the page's own scripts (a string: this project's Node code has no DOM
 * types): every rAF callback's time and every long task, in page time (performance.now()).
 */
const PROBE = `(() => {
  const probe = { frames: [], longTasks: [] };
  window.__probe = probe;
  const tick = (t) => { probe.frames.push(t); requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) probe.longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ entryTypes: ['longtask'] });
})();`;

function phase(p: Probe, from: number, to: number): PhaseFigures {
  const windows: number[] = [];
  for (let w = from; w + 1000 <= to; w += 1000) windows.push(p.frames.filter((t) => t >= w && t < w + 1000).length);
  const tasks = p.longTasks.filter((t) => t.start >= from && t.start < to);
  const sorted = [...windows].sort((a, b) => a - b);
  return {
    seconds: Math.round((to - from) / 100) / 10,
    fpsWindows: windows,
    fpsMedian: sorted.length ? sorted[Math.floor(sorted.length / 2)]! : 0,
    fpsWorst: sorted[0] ?? 0,
    longTasks: tasks.length,
    longTaskTotalMs: Math.round(tasks.reduce((n, t) => n + t.duration, 0)),
    longestTaskMs: Math.round(Math.max(0, ...tasks.map((t) => t.duration))),
  };
}

export type PageBenchOptions = { clients: number; keys: number; durationS: number; idleS: number; clusterArgs: string[]; profile?: string; trace?: string };

export async function benchPage(o: PageBenchOptions): Promise<PageRunFigures> {
  const sup = await BenchCluster.start(3, o.clusterArgs);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  try {
    await settled(sup);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.addInitScript({ content: PROBE });
    await page.goto(sup.url);
    const region = page.getByRole('region', { name: 'Workload' });
    await region.getByRole('button', { name: 'Start workload' }).waitFor();
    await region.scrollIntoViewIfNeeded();
    // The chart's place and the verdict under it: scrolled so the panel's top is at the top.
    await region.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.waitForTimeout(1000); // first paint, fonts, the feed's snapshot
    const now = () => page.evaluate(() => performance.now());
    const origin = await page.evaluate(() => performance.timeOrigin);
    const toPage = (epochMs: number) => epochMs - origin;

    // Traced from the idle phase on, so the summary can set the run beside the baseline.
    if (o.trace) await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing', 'v8.execute'] });
    const idleFrom = await now();
    await page.waitForTimeout(o.idleS * 1000);
    const idleTo = await now();

    const cdp = o.profile ? await startProfile(page) : null;
    if (o.trace) await page.evaluate(() => performance.mark('bench:run'));
    await region.getByRole('textbox', { name: 'Clients' }).fill(String(o.clients));
    await region.getByLabel('Duration (s)').fill(String(o.durationS));
    // The shape bench/workload.ts loads the supervisor with: 100 keys, half reads, half writes.
    await region.getByRole('textbox', { name: 'Keys' }).fill(String(o.keys));
    await region.getByRole('button', { name: 'Start workload' }).click();
    // Keep the chart on screen as the panel grows (progress, chart, fault list appear).
    await region.getByRole('img', { name: /^Throughput over time/ }).waitFor();
    await region.evaluate((el) => el.scrollIntoView({ block: 'start' }));

    const verdict = region.getByRole('status', { name: 'Workload verdict' });
    await verdict.filter({ hasText: /Linearizable|Not linearizable|Undecided/ }).waitFor({ timeout: (o.durationS + 120) * 1000 });
    await region.getByRole('group', { name: /^History diagram/ }).locator('[data-op-id]').first().waitFor({ timeout: 60_000 });
    await page.waitForTimeout(2000);
    const verdictTo = await now();
    const profileTop = cdp ? await stopProfile(cdp, o.profile!) : undefined;
    const trace = o.trace ? summarizeTrace(await browser.stopTracing(), o.trace) : undefined;

    const { workloads } = (await (await sup.api('/api/workloads')).json()) as { workloads: { id: string }[] };
    const v = (await (await sup.api(`/api/workloads/${workloads[0]!.id}`)).json()) as WorkloadView;
    const probe = (await page.evaluate('window.__probe')) as Probe;
    const runFrom = toPage(v.startedAt);
    const runTo = toPage(v.endedAt!);
    const ops = Object.values(v.counts).reduce((n, c) => n + c.ok + c.fail + c.unknown, 0);
    return {
      idle: phase(probe, idleFrom, idleTo),
      run: phase(probe, runFrom, runTo),
      verdict: phase(probe, runTo, verdictTo),
      ops,
      opsPerSec: Math.round(ops / ((v.endedAt! - v.startedAt) / 1000)),
      summary: v.verdict?.summary ?? v.error ?? 'no verdict',
      ...(profileTop ? { profileTop } : {}),
      ...(trace ? { trace } : {}),
    };
  } finally {
    await browser.close();
    await sup.stop();
  }
}

async function startProfile(page: Page): Promise<CDPSession> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
  await cdp.send('Profiler.start');
  return cdp;
}

type ProfileNode = { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; children?: number[] };

/** Saves the .cpuprofile (open it in Chrome's DevTools) and returns the functions with most self time. */
async function stopProfile(cdp: CDPSession, path: string): Promise<{ fn: string; selfMs: number }[]> {
  const { profile } = (await cdp.send('Profiler.stop')) as { profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] } };
  writeFileSync(path, JSON.stringify(profile));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const f = byId.get(id)!.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}:${f.columnNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 25)
    .map(([fn, selfMs]) => ({ fn, selfMs: Math.round(selfMs) }));
}

type TraceEvent = { name: string; ph: string; pid: number; tid: number; ts: number; dur?: number; tdur?: number; args?: { name?: string } };
/** Wall time, and CPU time (the thread's own: a task the OS preempted takes longer than it works). */
export type TraceLine = { name: string; idleMsPerS: number; busyMsPerS: number; idleCpuMsPerS: number; busyCpuMsPerS: number; busyCount: number };
export type TraceSummary = { lines: TraceLine[]; longTasks: { wallMs: number; cpuMs: number }[] };

/**
 * Saves the trace (open it in DevTools' Performance panel) and sums the renderer main thread's
 * events by name, idle vs run; and each task over 50 ms in the run, with its CPU time.
 */
function summarizeTrace(buf: Buffer, path: string): TraceSummary {
  writeFileSync(path, buf);
  const { traceEvents } = JSON.parse(buf.toString()) as { traceEvents: TraceEvent[] };
  const main = new Set(traceEvents.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const onMain = traceEvents.filter((e) => e.ph === 'X' && e.dur !== undefined && main.has(`${e.pid}:${e.tid}`));
  const mark = traceEvents.find((e) => e.name === 'bench:run');
  if (!mark || onMain.length === 0) return { lines: [], longTasks: [] };
  const first = Math.min(...onMain.map((e) => e.ts));
  const last = Math.max(...onMain.map((e) => e.ts + e.dur!));
  const idleS = (mark.ts - first) / 1e6;
  const busyS = (last - mark.ts) / 1e6;
  const sums = new Map<string, { idle: number; busy: number; idleCpu: number; busyCpu: number; count: number }>();
  for (const e of onMain) {
    const s = sums.get(e.name) ?? { idle: 0, busy: 0, idleCpu: 0, busyCpu: 0, count: 0 };
    if (e.ts < mark.ts) {
      s.idle += e.dur! / 1000;
      s.idleCpu += (e.tdur ?? 0) / 1000;
    } else {
      s.busy += e.dur! / 1000;
      s.busyCpu += (e.tdur ?? 0) / 1000;
      s.count++;
    }
    sums.set(e.name, s);
  }
  const lines = [...sums.entries()]
    .sort((a, b) => b[1].busy - a[1].busy)
    .slice(0, 16)
    .map(([name, s]) => ({
      name,
      idleMsPerS: Math.round(s.idle / idleS),
      busyMsPerS: Math.round(s.busy / busyS),
      idleCpuMsPerS: Math.round(s.idleCpu / idleS),
      busyCpuMsPerS: Math.round(s.busyCpu / busyS),
      busyCount: s.count,
    }));
  const longTasks = onMain
    .filter((e) => e.name === 'RunTask' && e.ts >= mark.ts && e.dur! > 50_000)
    .map((e) => ({ wallMs: Math.round(e.dur! / 1000), cpuMs: Math.round((e.tdur ?? 0) / 1000) }));
  return { lines, longTasks };
}
