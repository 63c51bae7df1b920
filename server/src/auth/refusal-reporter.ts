import type { EventData } from '@clusterlab/shared';

type Refusal = Omit<EventData<'auth.refused'>, 'count'>;

/**
 * Says, as `auth.refused` events, that requests were turned away for want of the cluster's
 * secret — but at most one event per interval: whoever is knocking may knock thousands of
 * times a second, and the event stream must not become their amplifier. The first refusal
 * is said at once; later ones within the interval are counted into the next event, said when
 * the interval is over (or with the next refusal after it).
 */
export class RefusalReporter {
  private lastAt = Number.NEGATIVE_INFINITY;
  private pending: Refusal | null = null;
  private pendingCount = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly emit: (data: EventData<'auth.refused'>) => void,
    private readonly intervalMs = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  report(refusal: Refusal): void {
    const now = this.now();
    if (now - this.lastAt >= this.intervalMs) {
      const count = this.pendingCount + 1;
      this.lastAt = now;
      this.pending = null;
      this.pendingCount = 0;
      this.emit({ ...refusal, count });
      return;
    }
    this.pending = refusal;
    this.pendingCount++;
    this.timer ??= setTimeout(() => this.flush(), Math.max(0, this.lastAt + this.intervalMs - now));
    this.timer.unref?.();
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private flush(): void {
    this.timer = null;
    if (!this.pending) return;
    this.lastAt = this.now();
    this.emit({ ...this.pending, count: this.pendingCount });
    this.pending = null;
    this.pendingCount = 0;
  }
}
