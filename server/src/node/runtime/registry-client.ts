import type { NodeId, RegistryEntry } from '@clusterlab/shared';

export type RegistryClientOptions = {
  registryUrl: string;
  self: { id: NodeId; host: string; port: number };
  intervalMs: number;
  /** Called with the live list after every successful heartbeat. */
  onNodes: (nodes: RegistryEntry[]) => void;
  log: (line: string) => void;
};

/**
 * Heart-beats the registry and learns the live nodes from its answer (one request does both).
 * While the registry is unreachable the node keeps the last list it had and keeps trying, so
 * a restarted registry is repopulated within one interval.
 */
export class RegistryClient {
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private failing = false;
  /** Nodes start alongside the registry, so early refusals are expected and not worth a line. */
  private everReached = false;
  private readonly startedAt = Date.now();

  constructor(private readonly opts: RegistryClientOptions) {}

  start(): void {
    const loop = async (): Promise<void> => {
      await this.beat();
      if (this.stopped) return;
      // Nodes start alongside the registry: knock often until it first answers, so the whole
      // cluster registers within a few milliseconds of each other, then settle to the interval.
      const delay = this.everReached ? this.opts.intervalMs : Math.min(25, this.opts.intervalMs);
      this.timer = setTimeout(() => void loop(), delay);
    };
    void loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    try {
      await fetch(new URL(`/nodes/${this.opts.self.id}`, this.opts.registryUrl), {
        method: 'DELETE',
        signal: AbortSignal.timeout(500),
      });
    } catch {
      // Leaving politely is a courtesy; the registry forgets us after its TTL anyway.
    }
  }

  private async beat(): Promise<void> {
    try {
      const res = await fetch(new URL('/register', this.opts.registryUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(this.opts.self),
        signal: AbortSignal.timeout(Math.max(2 * this.opts.intervalMs, 500)),
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
      const body = (await res.json()) as { nodes: RegistryEntry[] };
      if (this.failing) this.opts.log(`registry reachable again at ${this.opts.registryUrl}`);
      this.failing = false;
      this.everReached = true;
      this.opts.onNodes(body.nodes);
    } catch (err) {
      const worthSaying = this.everReached || Date.now() - this.startedAt > 5000;
      if (!this.failing && worthSaying) {
        this.opts.log(`registry unreachable at ${this.opts.registryUrl}: ${(err as Error).message}; keeping the last peer list`);
        this.failing = true;
      }
    }
  }
}
