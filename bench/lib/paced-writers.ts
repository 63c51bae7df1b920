import { leaderOf, tryWrite, type BenchCluster } from './cluster';

/**
 * A modest, steady write load: `writers` loops, each starting a write every `everyMs`
 * (fewer when writes are slow), to the leader as last seen; a write that fails makes its loop
 * look the leader up again and back off a little. Keys come from `keyFor`, values are small.
 */
export class PacedWriters {
  acked = 0;
  failed = 0;
  private stopped = false;
  private leaderUrl: string | null = null;
  private readonly loops: Promise<void>[];

  constructor(
    private readonly sup: BenchCluster,
    writers: number,
    private readonly everyMs: number,
    private readonly keyFor: (n: number) => string,
  ) {
    this.loops = Array.from({ length: writers }, (_, w) => this.loop(w, writers));
  }

  async stop(): Promise<{ acked: number; failed: number }> {
    this.stopped = true;
    await Promise.all(this.loops);
    return { acked: this.acked, failed: this.failed };
  }

  private async loop(w: number, writers: number): Promise<void> {
    for (let n = w; !this.stopped; n += writers) {
      const startedAt = performance.now();
      const url = this.leaderUrl ?? (await this.findLeader());
      if (url && (await tryWrite(url, this.keyFor(n), `paced-${n}`, 1000))) this.acked++;
      else {
        this.failed++;
        this.leaderUrl = null;
        await sleep(50);
      }
      await sleep(this.everyMs - (performance.now() - startedAt));
    }
  }

  private async findLeader(): Promise<string | null> {
    try {
      this.leaderUrl = leaderOf(await this.sup.cluster())?.url ?? null;
    } catch {
      this.leaderUrl = null;
    }
    return this.leaderUrl;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
