import type { NodeId, RegistryEntry } from '@clusterlab/shared';
import { SIGNATURE_HEADER, type RequestSigner } from '../../auth/request-signature';
import { messageFate, type LinkRules } from '../../net/link-rules';

export type RegistryClientOptions = {
  registryUrl: string;
  self: { id: NodeId; host: string; port: number };
  intervalMs: number;
  /** Called with the live list after every successful heartbeat. */
  onNodes: (nodes: RegistryEntry[]) => void;
  log: (line: string) => void;
  /** Registrations and leaves are signed: the registry takes them only from members. */
  signer: RequestSigner;
  /** The rules of the links to the registry (the request) and from it (the answer); left out, both work. */
  rules?: { to: () => LinkRules; from: () => LinkRules };
  /** Uniform draws in [0, 1) for losses and jitter; Math.random by default. */
  draw?: () => number;
};

/** A request or answer the faults in force took: the registry is unreachable, as far as this node can tell. */
class LostToFault extends Error {}

/**
 * Heart-beats the registry and learns the live nodes from its answer (one request does both).
 * While the registry is unreachable the node keeps the last list it had and keeps trying, so
 * a restarted registry is repopulated within one interval.
 *
 * The faults in force apply to both legs: a registration on a cut (or lossy) link to the
 * registry fails at once, as unreachable, without being sent; one whose answer is cut is sent —
 * the registry takes it and keeps the node listed — and its answer thrown away, so the node
 * keeps its old peer list. Delays on either leg are waited out.
 */
export class RegistryClient {
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private failing = false;
  /** Nodes start alongside the registry, so early refusals are expected and not worth a line. */
  private everReached = false;
  private readonly startedAt = Date.now();
  /** The heartbeat in flight, which an early refresh joins rather than doubling. */
  private beating: Promise<void> | null = null;
  /** The status of the last refusal said, so a node waiting for its old entry to expire says it once. */
  private lastRefusal = 0;

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

  /** Heart-beats now, out of turn (a message came from a node not listed yet), and resolves once answered. */
  refresh(): Promise<void> {
    return this.stopped ? Promise.resolve() : this.beat();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    try {
      const path = `/nodes/${this.opts.self.id}`;
      await this.outbound();
      await fetch(new URL(path, this.opts.registryUrl), {
        method: 'DELETE',
        headers: { [SIGNATURE_HEADER]: this.opts.signer.sign({ method: 'DELETE', target: path, body: '' }, Date.now()) },
        signal: AbortSignal.timeout(500),
      });
    } catch {
      // Leaving politely is a courtesy; the registry forgets us after its TTL anyway.
    }
  }

  private beat(): Promise<void> {
    this.beating ??= this.register().finally(() => (this.beating = null));
    return this.beating;
  }

  /** Waits out the request's leg to the registry; throws if the faults in force take it. */
  private async outbound(): Promise<void> {
    await this.leg(this.opts.rules?.to(), 'to');
  }

  /** Waits out the answer's leg; throws if the faults in force take it. */
  private async inbound(): Promise<void> {
    await this.leg(this.opts.rules?.from(), 'from');
  }

  private async leg(rules: LinkRules | undefined, way: 'to' | 'from'): Promise<void> {
    if (!rules) return;
    const fate = messageFate(rules, this.opts.draw ?? Math.random);
    if (fate.lost) throw new LostToFault(`${way === 'to' ? 'the request to' : 'the answer from'} the registry was ${fate.reason}`);
    const extraMs = fate.extraMs[0] ?? 0;
    if (extraMs > 0) await new Promise((resolve) => setTimeout(resolve, extraMs));
  }

  private async register(): Promise<void> {
    try {
      const body = JSON.stringify(this.opts.self);
      await this.outbound();
      const res = await fetch(new URL('/register', this.opts.registryUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: this.opts.signer.sign({ method: 'POST', target: '/register', body }, Date.now()) },
        body,
        signal: AbortSignal.timeout(Math.max(2 * this.opts.intervalMs, 500)),
      });
      await this.inbound().catch(async (err: unknown) => {
        await res.body?.cancel().catch(() => {});
        throw err;
      });
      if (res.status === 409 || res.status === 401) {
        // Not a fault of the network: the registry refuses us (our id's old entry has not
        // expired yet, or the secrets differ). Say why once, and keep asking.
        const why = `the registry refuses to register ${this.opts.self.id}: ${((await res.json().catch(() => ({}))) as { error?: string }).error ?? `HTTP ${res.status}`}`;
        if (res.status !== this.lastRefusal) this.opts.log(why);
        this.lastRefusal = res.status;
        return;
      }
      this.lastRefusal = 0;
      if (!res.ok) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
      const answer = (await res.json()) as { nodes: RegistryEntry[] };
      if (this.failing) this.opts.log(`registry reachable again at ${this.opts.registryUrl}`);
      this.failing = false;
      this.everReached = true;
      this.opts.onNodes(answer.nodes);
    } catch (err) {
      const worthSaying = this.everReached || Date.now() - this.startedAt > 5000;
      if (!this.failing && worthSaying) {
        this.opts.log(`registry unreachable at ${this.opts.registryUrl}: ${(err as Error).message}; keeping the last peer list`);
        this.failing = true;
      }
    }
  }
}
