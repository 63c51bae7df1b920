import { chromium } from '@playwright/test';
import { BenchCluster, settled } from './lib/cluster';

export type DiagramFigures = { label: string; fpsWindows: number[]; fpsMedian: number; fpsWorst: number; longTasks: number; bufferEvents: number };

/**
 * The message diagram under the load: 9 nodes' worth of synthetic messages at 5,000
 * events/s (half sends, half receipts, a mix of kinds) fed into the page's diagram buffer
 * through its ?debug hook, in Playwright's headless Chromium at 1280×1000 with the diagram on
 * screen; requestAnimationFrame callbacks counted per 1-s window at several zooms. The cluster
 * is real; the traffic is not (three nodes cannot make 5,000 events/s of 9 nodes' messages).
 */
export async function benchDiagram(secondsEach: number, clusterArgs: string[]): Promise<DiagramFigures[]> {
  const sup = await BenchCluster.start(3, clusterArgs);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  try {
    await settled(sup);
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const url = new URL(sup.url);
    url.searchParams.set('debug', '');
    await page.goto(url.toString());
    const diagram = page.getByRole('region', { name: 'Message diagram' });
    await diagram.waitFor();
    await diagram.scrollIntoViewIfNeeded();
    await page.evaluate(FEED);
    const take = async (label: string): Promise<DiagramFigures> => {
      await page.evaluate('window.__bench.frames = []; window.__bench.longTasks = 0;');
      await page.waitForTimeout(secondsEach * 1000 + 200);
      const r = (await page.evaluate('({ frames: window.__bench.frames, longTasks: window.__bench.longTasks, size: window.clusterlabDiagram.buffer.size })')) as { frames: number[]; longTasks: number; size: number };
      const sorted = [...r.frames].sort((a, b) => a - b);
      return { label, fpsWindows: r.frames, fpsMedian: sorted[Math.floor(sorted.length / 2)] ?? 0, fpsWorst: sorted[0] ?? 0, longTasks: r.longTasks, bufferEvents: r.size };
    };
    const out = [await take('heartbeats hidden, 0.2 ms/px')];
    await diagram.getByRole('checkbox', { name: 'Show heartbeat messages' }).check();
    out.push(await take('every kind shown, 0.2 ms/px'));
    for (let i = 0; i < 5; i++) await diagram.getByRole('button', { name: 'Zoom out' }).click();
    out.push(await take('every kind shown, 10 ms/px'));
    for (let i = 0; i < 2; i++) await diagram.getByRole('button', { name: 'Zoom out' }).click();
    out.push(await take('every kind shown, 50 ms/px'));
    await page.evaluate('window.__bench.stop()');
    return out;
  } finally {
    await browser.close();
    await sup.stop();
  }
}

/** In the page: 500 events every 100 ms (250 messages between 9 nodes), and a frame counter. A string: this project's Node code has no DOM types. */
const FEED = `(() => {
  let seq = 1e9, id = 0;
  const nodes = ['n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7', 'n8', 'n9'];
  const families = ['heartbeat', 'heartbeat', 'heartbeat', 'replication', 'election', 'other'];
  const timer = setInterval(() => {
    const now = Date.now();
    const batch = [];
    for (let i = 0; i < 250; i++) {
      const from = nodes[i % 9];
      const to = nodes[(i * 7 + 1) % 9] === from ? nodes[(i + 1) % 9] : nodes[(i * 7 + 1) % 9];
      const family = families[i % families.length];
      const mid = 'm' + id++;
      const t = now - 100 + (i * 100) / 250;
      batch.push({ seq: seq++, lamport: seq, time: t, node: from, kind: 'message.sent', data: { id: mid, to, type: 'heartbeat', term: 1, family } });
      batch.push({ seq: seq++, lamport: seq, time: t + 0.5 + (i % 5), node: to, kind: 'message.received', data: { id: mid, from, type: 'heartbeat', term: 1, family } });
    }
    window.clusterlabDiagram.feed(batch);
  }, 100);
  const bench = { frames: [], longTasks: 0, stop: () => clearInterval(timer) };
  window.__bench = bench;
  let last = performance.now(), count = 0;
  const tick = () => {
    count++;
    const now = performance.now();
    if (now - last >= 1000) { bench.frames.push(count); count = 0; last = now; }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  new PerformanceObserver((list) => { bench.longTasks += list.getEntries().length; }).observe({ entryTypes: ['longtask'] });
})()`;
