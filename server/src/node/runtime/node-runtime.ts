import { randomInt } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { MAX_PEER_BATCH_BYTES, MAX_TRACE_BYTES_PER_BOOT, REGISTRY_PARTY, type ActiveFault, type ClusterSettings, type NodeId, type PeerMessage, type RegistryEntry } from '@clusterlab/shared';
import { RefusalReporter } from '../../auth/refusal-reporter';
import { RequestSigner } from '../../auth/request-signature';
import { createEventChannel, type EventChannel } from '../../child/event-channel';
import { loopbackHostnames } from '../../http/guards/host-check';
import { answerParserErrorsAsJson } from '../../http/parser-errors';
import { algorithmFor } from '../algorithms';
import type { AnyAlgorithm, AnyCore, ClientReply, ClientRequest, CoreInput } from '../core/types';
import { Wal, WalCorruptError } from '../storage/wal';
import { DurableOutbox, type Performed } from './durable-outbox';
import { EventLoopLagMonitor } from './event-loop-lag';
import { createRequestListener } from './http-api';
import { LinkFaults } from './link-faults';
import { InputRecorder } from './input-recorder';
import { PeerTransport } from './peer-transport';
import { RegistryClient } from './registry-client';

export type NodeRuntimeOptions = {
  id: NodeId;
  host: string;
  port: number;
  registryUrl: string;
  /** The cluster's secret: peer messages and registry calls are signed with it, and checked. */
  secret: string;
  dataDir: string;
  settings: ClusterSettings;
  /** The voters of a brand-new cluster; empty for a node joining a running one (Raft; bully ignores it). */
  initialVoters: NodeId[];
  log: (line: string) => void;
  /** Where events go; by default IPC batches to the supervisor, or JSON lines on stdout. */
  events?: EventChannel;
  /** The algorithm to host; by default the one the settings name. */
  algorithm?: AnyAlgorithm;
  /** The lasting faults in force as it starts (the supervisor's; setFaults changes them). */
  faults?: readonly ActiveFault[];
  /** Where this process records its core's boot and inputs for the run's trace (input-recorder.ts); left out, nothing is recorded. */
  recordDir?: string;
};

/**
 * One database node: the pure core of its algorithm plus the adapters that give it a clock
 * (timers), a network (HTTP), a disk (the WAL), peers (the registry) and a voice (events).
 * Every input goes through `step`, and every output is carried out in order — a persist
 * record reaches the disk before the message or reply that depends on it leaves.
 *
 * Inputs are queued, never stepped from inside the output loop: carrying out a send can
 * report it undeliverable at once, and that report must wait until the step that sent it is
 * done, exactly as the simulator delivers it.
 */
export class NodeRuntime {
  private readonly algorithm: AnyAlgorithm;
  private core!: AnyCore;
  private wal!: Wal<unknown, unknown>;
  private outbox!: DurableOutbox<unknown>;
  /** Inputs waiting for their step, each with the peer message it is (by id), if it is one. */
  private readonly inputs: { input: CoreInput; cause?: string }[] = [];
  private stepping = false;
  private readonly events: EventChannel;
  private readonly transport: PeerTransport;
  private readonly signer: RequestSigner;
  private readonly refusals: RefusalReporter;
  private registry: RegistryClient | null = null;
  private recorder: InputRecorder | null = null;
  private server: http.Server | null = null;
  private readonly waiting = new Map<number, (reply: ClientReply) => void>();
  private readonly urls = new Map<NodeId, string>();
  private nextRequestId = 1;
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Number.POSITIVE_INFINITY;
  private stopped = false;
  /** The faults in force: this node's link rules (send and receive) and its clock's offset. */
  private readonly faults: LinkFaults;
  private readonly lag = new EventLoopLagMonitor();
  /**
   * Unique per process: its messages are `<id>-<boot>-<n>` (a restarted node's do not collide
   * with its old ones), and its part of the run's trace is this boot's.
   */
  private readonly bootId = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;

  constructor(private readonly opts: NodeRuntimeOptions) {
    this.faults = new LinkFaults(opts.id, opts.faults ?? []);
    this.events = opts.events ?? createEventChannel({ source: opts.id });
    this.algorithm = opts.algorithm ?? algorithmFor(opts.settings.algorithm);
    this.signer = new RequestSigner(opts.secret);
    this.refusals = new RefusalReporter((data) => this.events.emit({ kind: 'auth.refused', data }));
    this.transport = new PeerTransport({
      signer: this.signer,
      self: opts.id,
      bootId: this.bootId,
      algorithm: this.algorithm.id,
      protocol: this.algorithm.protocol,
      timeoutMs: Math.max(1000, 4 * opts.settings.heartbeatIntervalMs),
      maxQueuedPerPeer: 1024,
      maxBatchBytes: MAX_PEER_BATCH_BYTES,
      onUndeliverable: (to, msg) => this.step({ type: 'undeliverable', now: this.now(), to, msg }),
      emit: (event, cause) => this.events.emit(event, cause),
      rules: (to) => this.faults.to(to),
    });
  }

  /**
   * Writes out the lab's record of this node — the events batched for the supervisor and the
   * run's trace — because the supervisor is about to kill it. The core, its disk and what it
   * sends are not touched: the kill is as sudden for them as ever.
   */
  async flushRecords(): Promise<void> {
    this.events.flush();
    await this.recorder?.flushed();
  }

  /** Loads the disk, starts listening and joins the cluster. Resolves with the real port. */
  async start(): Promise<number> {
    let opened;
    try {
      opened = Wal.open(this.opts.dataDir, this.algorithm, { fsync: this.opts.settings.fsync, warn: this.opts.log });
    } catch (err) {
      if (err instanceof WalCorruptError) {
        this.events.emit({ kind: 'node.log_damaged', data: { file: err.file, record: err.line, records: err.lines } });
        this.events.flush();
      }
      throw err;
    }
    const { wal, restored, repaired } = opened;
    this.wal = wal;
    if (repaired) this.events.emit({ kind: 'node.log_repaired', data: repaired });
    this.outbox = new DurableOutbox(
      wal,
      (out, cause) => this.perform(out, cause),
      (work) => this.exclusive(work),
      (err) => this.diskFailed(err),
      (position) => this.step({ type: 'durable', now: this.now(), position }),
    );
    const { id, settings, initialVoters } = this.opts;
    const config = { id, settings, seed: randomInt(2 ** 31), initialVoters };
    if (this.opts.recordDir) {
      this.recorder = new InputRecorder(this.opts.recordDir, id, this.bootId, MAX_TRACE_BYTES_PER_BOOT);
      this.recorder.booted(config, restored);
    }
    this.core = this.algorithm.create(config, restored);
    this.server = http.createServer(
      { keepAliveTimeout: 30_000 },
      createRequestListener({
        id: this.opts.id,
        algorithm: this.algorithm.id,
        messages: this.algorithm.protocol.messages,
        impossibleSender: (from, msg) => this.algorithm.protocol.impossibleSender(from, msg),
        signer: this.signer,
        unsigned: (remote, reason) => this.refusals.report({ request: 'POST /peer', remote, reason }),
        knowsPeer: (peer) => this.knowsPeer(peer),
        hosts: { name: `node ${this.opts.id}`, hostnames: loopbackHostnames(this.opts.host) },
        status: () => ({ ...this.core.status(), eventLoopLagMs: this.lag.lastWindow() }),
        list: (limit, after) => ({ node: this.opts.id, appliedIndex: this.core.status().appliedIndex, ...this.core.list(limit, after) }),
        client: (request, respond) => this.submit(request, respond),
        peer: (id, from, msg, lamport) => this.receive(id, from, msg, lamport),
        cutFrom: (from) => this.faults.from(from).cutBy[0] ?? null,
        dropped: (id, from, msg, reason, lamport) => {
          const { familyOf } = this.algorithm.protocol;
          this.events.witness(lamport);
          this.events.emit({ kind: 'message.lost', data: { id, from, to: this.opts.id, type: msg.type, reason, family: familyOf(msg), ...sent(lamport) } });
        },
        refused: (id, from, reason) => {
          this.opts.log(`refused a peer message from ${from}: ${reason}`);
          this.events.emit({ kind: 'message.refused', data: { id, from, reason } });
        },
        leaderUrl: (leader, path) => {
          const base = this.urls.get(leader);
          return base ? new URL(path, base).toString() : null;
        },
        writeTimeoutMs: this.opts.settings.writeTimeoutMs,
        log: this.opts.log,
      }),
    );
    answerParserErrorsAsJson(this.server);
    const port = await new Promise<number>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.opts.port, this.opts.host, () => resolve((this.server!.address() as AddressInfo).port));
    });
    const status = this.core.status();
    this.events.emit({
      kind: 'node.ready',
      data: { id, pid: process.pid, port, algorithm: this.algorithm.id, restoredIndex: status.appliedIndex, restoredKeys: status.keyCount },
    });
    this.step({ type: 'start', now: this.now() });
    this.registry = new RegistryClient({
      registryUrl: this.opts.registryUrl,
      self: { id: this.opts.id, host: this.opts.host, port },
      intervalMs: this.opts.settings.registryIntervalMs,
      onNodes: (nodes) => this.onRegistryNodes(nodes),
      log: this.opts.log,
      signer: this.signer,
      rules: { to: () => this.faults.to(REGISTRY_PARTY), from: () => this.faults.from(REGISTRY_PARTY) },
    });
    this.registry.start();
    return port;
  }

  /**
   * The lasting faults now in force, whole (the supervisor sends every change). A clock fault
   * moves the core's `now` at once, and the timer is set again for its deadlines as they now read.
   */
  setFaults(active: readonly ActiveFault[]): void {
    const offsetBefore = this.faults.clockOffsetMs();
    this.faults.set(active);
    if (this.core && !this.stopped && this.faults.clockOffsetMs() !== offsetBefore) this.step({ type: 'tick', now: this.now() });
  }

  /**
   * What the core is told the time is: true time plus the clock faults in force on this node.
   * Only the core's time: events, timers' waits and request signatures keep true time.
   */
  private now(): number {
    return Date.now() + this.faults.clockOffsetMs();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.registry?.stop();
    this.server?.close();
    this.server?.closeAllConnections();
    this.transport.close();
    this.refusals.close();
    this.lag.stop();
    this.events.close();
    this.recorder?.close();
    this.wal?.close();
  }

  /**
   * An fsync failed: the records it was to make durable may not be on disk, and the node can
   * no longer tell what it has promised. Like a database that panics on an fsync error, it
   * stops rather than acknowledge anything more; a restart replays what the disk really holds.
   */
  private diskFailed(err: Error): void {
    this.opts.log(`fsync of the write-ahead log failed (${err.message}); stopping so nothing more is promised`);
    void this.stop().finally(() => setImmediate(() => process.exit(1)));
  }

  private submit(request: ClientRequest, respond: (reply: ClientReply) => void): void {
    const requestId = this.nextRequestId++;
    this.waiting.set(requestId, respond);
    this.step({ type: 'client', now: this.now(), requestId, request });
  }

  private receive(id: string, from: NodeId, msg: PeerMessage, lamport: number): void {
    const { termOf, familyOf } = this.algorithm.protocol;
    this.events.witness(lamport);
    this.events.emit({ kind: 'message.received', data: { id, from, type: msg.type, term: termOf(msg), family: familyOf(msg), ...sent(lamport) } });
    this.step({ type: 'message', now: this.now(), from, msg }, id);
  }

  /**
   * A peer is a node the registry has listed at some time since this one started (a node
   * that is gone stays known: its old messages still arrive). One not listed yet may be a
   * newcomer that registered a moment ago, so the registry is asked once more before saying no.
   */
  private knowsPeer(peer: NodeId): boolean | Promise<boolean> {
    if (this.urls.has(peer)) return true;
    if (!this.registry) return false;
    return this.registry.refresh().then(() => this.urls.has(peer));
  }

  private onRegistryNodes(nodes: RegistryEntry[]): void {
    for (const n of nodes) this.urls.set(n.id, `http://${n.host}:${n.port}`);
    this.transport.setAddresses(this.urls);
    this.step({ type: 'peers', now: this.now(), peers: nodes.map((n) => n.id) });
  }

  private step(input: CoreInput, cause?: string): void {
    this.inputs.push({ input, cause });
    this.exclusive(() => {});
  }

  /**
   * Runs `work` (carrying out outputs) and then every input queued meanwhile, one step at a
   * time; called while already running, it only queues. So no step begins while another's
   * outputs are still being carried out.
   */
  private exclusive(work: () => void): void {
    if (this.stepping) {
      work();
      return;
    }
    this.stepping = true;
    try {
      work();
      for (let next = this.inputs.shift(); next && !this.stopped; next = this.inputs.shift()) {
        const recorded = this.recorder?.stepping(next.input, next.cause, this.events.lamportNow());
        const outputs = this.core.step(next.input);
        recorded?.(outputs);
        this.outbox.carryOut(outputs, next.cause);
        if (this.wal.wantsImage && !this.outbox.syncing) this.wal.writeImage(this.core.image());
      }
    } finally {
      this.stepping = false;
    }
    if (!this.stopped) this.schedule();
  }

  /** A message, reply or event, once every record before it in its step is durable. */
  private perform(out: Performed<unknown>, cause: string | undefined): void {
    if (this.stopped) return;
    switch (out.type) {
      case 'send':
        this.transport.send(out.to, out.msg, cause);
        break;
      case 'reply': {
        const respond = this.waiting.get(out.requestId);
        this.waiting.delete(out.requestId);
        respond?.(out.reply);
        break;
      }
      case 'event':
        this.events.emit(out.event, cause);
        break;
    }
  }

  /** One timer, always set for the core's next deadline; a tick that comes early is harmless. */
  private schedule(): void {
    const at = this.core.nextWakeAt();
    if (!Number.isFinite(at) || (this.timer && this.timerAt <= at)) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.timerAt = Number.POSITIVE_INFINITY;
      this.step({ type: 'tick', now: this.now() });
    }, Math.max(0, at - this.now()));
  }
}

/** A receipt names its send's Lamport time; a sender that gave none (0) is not waited for. */
function sent(lamport: number): { sentLamport?: number } {
  return lamport > 0 ? { sentLamport: lamport } : {};
}
