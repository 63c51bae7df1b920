import type { HistoryOp, NodeId } from '@clusterlab/shared';
import type { ClientReply, ClientRequest } from '../node/core/types';
import type { Rng } from '@clusterlab/shared';

/**
 * A simulated client: it does one operation at a time against the cluster, the way a real HTTP
 * client would, and tells its work (`ClientWork`: what to ask, and what to make of the answer)
 * how each one ended. Which operations, and what is recorded of them, is the work's business:
 * register ops on a few keys (register-work.ts) or a bank's transfers (bank-work.ts).
 *
 * How one operation goes (all of its requests are one operation):
 * - It is sent to the client's *home* node: at first a random one, then whichever leader a
 *   redirect named; a home that stops answering is given up for a random node at the next op.
 *   A `redirect` is followed at once (a follower did not log the write).
 * - `unavailable` with maybeApplied false, or a refused connection (the node is down), means
 *   the write was definitely not applied: retry at a random node after a backoff, a few times.
 * - `timeout`, `unavailable` with maybeApplied true, a connection reset (the node died holding
 *   the request) or no answer within the client timeout mean it may or may not have been
 *   applied: the op ends *unknown* and is never retried. A retry after a maybe-applied attempt
 *   could apply the write twice at two moments, which no single op in a history can express.
 * - Out of attempts with nothing but definite failures: the op *failed* (never applied).
 * Reads are answered by whichever node they reach (the core serves reads locally); a read
 * that gets no answer is unknown, which the checker ignores.
 */
export type ClientOptions = {
  /** Mean pause between one op's end and the next one's start (exponential). */
  thinkMeanMs: number;
  /** How long one request may go unanswered before the client gives up on the op. */
  timeoutMs: number;
  /** Requests one op may make, counting redirects and retries. */
  maxAttempts: number;
  /** First retry backoff; it doubles with every retry, with jitter. */
  backoffMs: number;
  /** `home`: reads go to the client's home node (the leader, once a redirect named it); `any`: to a random node. */
  readFrom: 'home' | 'any';
};

export const DEFAULT_CLIENT_OPTIONS: Omit<ClientOptions, 'timeoutMs'> = {
  thinkMeanMs: 25,
  maxAttempts: 5,
  backoffMs: 50,
  readFrom: 'home',
};

/** What a client does, one operation at a time. */
export interface ClientWork {
  /** The next operation's request (it may draw from the client's random stream). */
  next(now: number): ClientRequest;
  /**
   * The operation ended: `reply` is the answer it ended on when that was `ok` or `value`.
   * `ok` is what the client may count on: done, or (a `value`) read.
   */
  ended(outcome: HistoryOp['outcome'], node: NodeId, reply: ClientReply | null, now: number): void;
}

/** What comes back to a client for one request. */
export type Answer =
  | { type: 'reply'; node: NodeId; reply: ClientReply }
  /** Nobody listens there (the process is down): the request never reached a core. */
  | { type: 'refused'; node: NodeId }
  /** The process died after taking the request: it may or may not have acted on it. */
  | { type: 'reset'; node: NodeId };

/** What a client needs from the world: time, timers, the node list and a way to send. */
export interface ClientHost {
  readonly now: number;
  after(delayMs: number, run: () => void): void;
  nodes(): readonly NodeId[];
  request(client: string, to: NodeId, request: ClientRequest, onAnswer: (answer: Answer) => void): void;
}

type InFlight = { request: ClientRequest; attempts: number; attempt: number };

export class SimClient {
  private home: NodeId | null = null;
  private current: InFlight | null = null;
  private attemptSeq = 0;
  private stopped = false;

  constructor(
    readonly id: string,
    private readonly host: ClientHost,
    private readonly rng: Rng,
    private readonly work: ClientWork,
    private readonly options: ClientOptions,
  ) {}

  get busy(): boolean {
    return this.current !== null;
  }

  /** The first op starts at once: clients are there before the cluster is, as in a real start-up. */
  start(): void {
    this.begin();
  }

  /** No new ops; the one in flight still finishes (or times out). */
  stop(): void {
    this.stopped = true;
  }

  private thinkThenAct(): void {
    if (this.stopped) return;
    this.host.after(Math.round(this.rng.exponential(this.options.thinkMeanMs)), () => this.begin());
  }

  private begin(): void {
    if (this.stopped) return;
    const request = this.work.next(this.host.now);
    this.current = { request, attempts: 0, attempt: 0 };
    const target = request.type === 'get' && this.options.readFrom === 'any' ? this.randomNode() : (this.home ?? this.randomNode());
    this.send(target);
  }

  private send(to: NodeId): void {
    const c = this.current!;
    const attempt = ++this.attemptSeq;
    c.attempt = attempt;
    c.attempts++;
    const mine = () => this.current === c && c.attempt === attempt;
    this.host.request(this.id, to, c.request, (answer) => {
      if (mine()) this.onAnswer(answer);
    });
    this.host.after(this.options.timeoutMs, () => {
      if (!mine()) return;
      // A node that does not answer may be gone or cut off: the next op tries another one.
      if (this.home === to) this.home = null;
      this.finish('unknown', to);
    });
  }

  private onAnswer(answer: Answer): void {
    const c = this.current!;
    if (answer.type === 'refused') {
      if (this.home === answer.node) this.home = null;
      this.retry(answer.node);
      return;
    }
    if (answer.type === 'reset') {
      if (this.home === answer.node) this.home = null;
      this.finish('unknown', answer.node);
      return;
    }
    const { reply, node } = answer;
    switch (reply.type) {
      case 'value':
      case 'ok':
        this.finish('ok', node, reply);
        return;
      case 'redirect':
        this.home = reply.leader;
        if (c.attempts >= this.options.maxAttempts) this.finish('fail', node);
        else this.send(reply.leader);
        return;
      case 'unavailable':
        if (reply.maybeApplied) this.finish('unknown', node);
        else this.retry(node);
        return;
      case 'timeout':
        this.finish('unknown', node);
        return;
      case 'invalid':
        this.finish('fail', node);
        return;
      default: {
        const never: never = reply;
        throw new Error(`unknown reply ${JSON.stringify(never)}`);
      }
    }
  }

  /** The last attempt definitely did nothing: try another node after a backoff, or give up. */
  private retry(failedAt: NodeId): void {
    const c = this.current!;
    if (c.attempts >= this.options.maxAttempts) {
      this.finish('fail', failedAt);
      return;
    }
    const backoffMs = this.options.backoffMs * 2 ** (c.attempts - 1);
    const attempt = c.attempt;
    this.host.after(Math.round(backoffMs * (0.5 + this.rng.next())), () => {
      if (this.current !== c || c.attempt !== attempt) return;
      const others = this.host.nodes().filter((n) => n !== failedAt);
      const next = others.length > 0 ? this.rng.pick(others) : failedAt;
      if (c.request.type !== 'get' || this.options.readFrom === 'home') this.home = next;
      this.send(next);
    });
  }

  private finish(outcome: HistoryOp['outcome'], node: NodeId, reply: ClientReply | null = null): void {
    this.work.ended(outcome, node, reply, this.host.now);
    this.current = null;
    this.thinkThenAct();
  }

  private randomNode(): NodeId {
    return this.rng.pick(this.host.nodes());
  }
}
