import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';
import type { EventLoopLag } from '@clusterlab/shared';

/** How often the loop is sampled: a stall shorter than this is invisible, one longer is one sample. */
const RESOLUTION_MS = 10;
/** Figures cover fixed windows, not "since the last read": the supervisor reads /status too. */
const WINDOW_MS = 1000;

/**
 * How late this node's event loop runs, per window of about a second. A node that is busy for
 * longer than an election timeout (parsing one huge message, say) misses heartbeats it has
 * already been sent, and its peers cannot tell that from a crash — so this is the figure that
 * says whether big state is safe. GET /status shows the last completed window.
 *
 * Sampled by a timer of our own rather than perf_hooks.monitorEventLoopDelay: resetting that
 * one forgets when it last ran, so a stall that began just before a window closed was lost.
 */
export class EventLoopLagMonitor {
  private readonly histogram: RecordableHistogram = createHistogram();
  private timer: NodeJS.Timeout;
  private expectedAt = performance.now() + RESOLUTION_MS;
  private windowStartedAt = performance.now();
  private last: EventLoopLag | null = null;
  private stopped = false;
  private started = false;

  constructor() {
    this.timer = this.arm();
  }

  /** The last completed window, or null in the node's first second. */
  lastWindow(): EventLoopLag | null {
    return this.last;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private arm(): NodeJS.Timeout {
    const timer = setTimeout(() => this.sample(), RESOLUTION_MS);
    timer.unref();
    return timer;
  }

  private sample(): void {
    if (this.stopped) return;
    const now = performance.now();
    if (!this.started) {
      // The first sample only starts the clock: what ran before it was the node's start-up
      // (replaying its log before it listens), when nobody can be waiting on it yet.
      this.started = true;
      this.windowStartedAt = now;
    } else {
      // Recorded in microseconds: the histogram takes integers ≥ 1.
      this.histogram.record(Math.max(1, Math.round((now - this.expectedAt) * 1000)));
      if (now - this.windowStartedAt >= WINDOW_MS) this.closeWindow(now);
    }
    this.expectedAt = performance.now() + RESOLUTION_MS;
    this.timer = this.arm();
  }

  private closeWindow(now: number): void {
    const ms = (us: number) => (us <= 1 ? 0 : Math.round(us / 100) / 10);
    this.last = {
      p50: ms(this.histogram.percentile(50)),
      p99: ms(this.histogram.percentile(99)),
      max: ms(this.histogram.max),
      windowMs: Math.round(now - this.windowStartedAt),
      endedAt: Date.now(),
    };
    this.histogram.reset();
    this.windowStartedAt = now;
  }
}
