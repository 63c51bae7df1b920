import type { ClusterEvent, EventKind } from '@clusterlab/shared';
import type { BenchCluster } from './cluster';

/**
 * Reads the supervisor's event log as it goes (every `everyMs`), keeping only the events a
 * bench asks for: the log keeps its last 20,000 events, which a loaded cluster emits in
 * seconds, so reading once at the end would see only the tail. `missed` counts events that
 * rolled out of the buffer before a read reached them.
 */
export class EventWatch {
  readonly kept: ClusterEvent[] = [];
  missed = 0;
  private since: number;
  private timer: NodeJS.Timeout | null = null;
  private reading: Promise<void> | null = null;

  private constructor(
    private readonly sup: BenchCluster,
    since: number,
    private readonly keep: (e: ClusterEvent) => boolean,
  ) {
    this.since = since;
  }

  static async start(sup: BenchCluster, keep: (e: ClusterEvent) => boolean, everyMs = 300): Promise<EventWatch> {
    const w = new EventWatch(sup, await sup.lastSeq(), keep);
    w.timer = setInterval(() => void w.read(), everyMs);
    return w;
  }

  /** Kept events of `kind` with seq after `afterSeq`. */
  of<K extends EventKind>(kind: K, afterSeq = 0): Extract<ClusterEvent, { kind: K }>[] {
    return this.kept.filter((e): e is Extract<ClusterEvent, { kind: K }> => e.kind === kind && e.seq > afterSeq);
  }

  get seq(): number {
    return this.since;
  }

  /** Reads what is left and stops. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.reading;
    await this.read();
  }

  read(): Promise<void> {
    if (this.reading) return this.reading;
    this.reading = (async () => {
      try {
        const events = await this.sup.events(this.since);
        if (events.length > 0 && events[0]!.seq > this.since + 1) this.missed += events[0]!.seq - this.since - 1;
        for (const e of events) if (this.keep(e)) this.kept.push(e);
        if (events.length > 0) this.since = events.at(-1)!.seq;
      } catch {
        // the supervisor was busy; the next read continues from the same place
      } finally {
        this.reading = null;
      }
    })();
    return this.reading;
  }
}
