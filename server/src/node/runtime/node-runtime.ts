import { randomInt } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ClusterSettings, NodeId, PeerEnvelope, RegistryEntry } from '@clusterlab/shared';
import { createEventChannel, type EventChannel } from '../../child/event-channel';
import { NodeCore } from '../core/node-core';
import type { ClientReply, ClientRequest, CoreInput, CoreOutput } from '../core/types';
import { Wal } from '../storage/wal';
import { createRequestListener } from './http-api';
import { PeerTransport } from './peer-transport';
import { RegistryClient } from './registry-client';

export type NodeRuntimeOptions = {
  id: NodeId;
  host: string;
  port: number;
  registryUrl: string;
  dataDir: string;
  settings: ClusterSettings;
  log: (line: string) => void;
  /** Where events go; by default IPC batches to the supervisor, or JSON lines on stdout. */
  events?: EventChannel;
};

/**
 * One database node: the pure core plus the adapters that give it a clock (timers), a
 * network (HTTP), a disk (the WAL), peers (the registry) and a voice (events). Every input
 * goes through `step`, and every output is carried out in order — a persist record reaches
 * the disk before the message or reply that depends on it leaves.
 */
export class NodeRuntime {
  private core!: NodeCore;
  private wal!: Wal;
  private readonly events: EventChannel;
  private readonly transport: PeerTransport;
  private registry: RegistryClient | null = null;
  private server: http.Server | null = null;
  private readonly waiting = new Map<number, (reply: ClientReply) => void>();
  private readonly urls = new Map<NodeId, string>();
  private nextRequestId = 1;
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Number.POSITIVE_INFINITY;
  private stopped = false;

  constructor(private readonly opts: NodeRuntimeOptions) {
    this.events = opts.events ?? createEventChannel({ source: opts.id });
    this.transport = new PeerTransport({
      self: opts.id,
      timeoutMs: Math.max(1000, 4 * opts.settings.heartbeatIntervalMs),
      maxInflightPerPeer: 256,
      onUndeliverable: (to, msg) => this.step({ type: 'undeliverable', now: Date.now(), to, msg }),
      emit: (event) => this.events.emit(event),
    });
  }

  /** Loads the disk, starts listening and joins the cluster. Resolves with the real port. */
  async start(): Promise<number> {
    const { wal, restored } = Wal.open(this.opts.dataDir, this.opts.log);
    this.wal = wal;
    this.core = new NodeCore({ id: this.opts.id, settings: this.opts.settings, seed: randomInt(2 ** 31) }, restored);
    this.server = http.createServer(
      { keepAliveTimeout: 30_000 },
      createRequestListener({
        id: this.opts.id,
        status: () => this.core.status(),
        list: (limit) => ({ node: this.opts.id, appliedIndex: this.core.status().appliedIndex, ...this.core.list(limit) }),
        client: (request, respond) => this.submit(request, respond),
        peer: (envelope) => this.receive(envelope),
        leaderUrl: (leader, path) => {
          const base = this.urls.get(leader);
          return base ? new URL(path, base).toString() : null;
        },
        writeTimeoutMs: this.opts.settings.writeTimeoutMs,
        log: this.opts.log,
      }),
    );
    const port = await new Promise<number>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.opts.port, this.opts.host, () => resolve((this.server!.address() as AddressInfo).port));
    });
    const status = this.core.status();
    this.events.emit({
      kind: 'node.ready',
      data: { id: this.opts.id, pid: process.pid, port, restoredIndex: status.appliedIndex, restoredKeys: status.keyCount },
    });
    this.step({ type: 'start', now: Date.now() });
    this.registry = new RegistryClient({
      registryUrl: this.opts.registryUrl,
      self: { id: this.opts.id, host: this.opts.host, port },
      intervalMs: this.opts.settings.registryIntervalMs,
      onNodes: (nodes) => this.onRegistryNodes(nodes),
      log: this.opts.log,
    });
    this.registry.start();
    return port;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.registry?.stop();
    this.server?.close();
    this.server?.closeAllConnections();
    this.transport.close();
    this.events.close();
    this.wal?.close();
  }

  private submit(request: ClientRequest, respond: (reply: ClientReply) => void): void {
    const requestId = this.nextRequestId++;
    this.waiting.set(requestId, respond);
    this.step({ type: 'client', now: Date.now(), requestId, request });
  }

  private receive(envelope: PeerEnvelope): void {
    const { id, from, msg } = envelope;
    this.events.emit({ kind: 'message.received', data: { id, from, type: msg.type, epoch: msg.epoch } });
    this.step({ type: 'message', now: Date.now(), from, msg });
  }

  private onRegistryNodes(nodes: RegistryEntry[]): void {
    for (const n of nodes) this.urls.set(n.id, `http://${n.host}:${n.port}`);
    this.transport.setAddresses(this.urls);
    this.step({ type: 'peers', now: Date.now(), peers: nodes.map((n) => n.id) });
  }

  private step(input: CoreInput): void {
    if (this.stopped) return;
    this.carryOut(this.core.step(input));
    if (this.wal.wantsImage) this.wal.writeImage(this.core.image());
    this.schedule();
  }

  private carryOut(outputs: CoreOutput[]): void {
    for (const out of outputs) {
      switch (out.type) {
        case 'persist':
          this.wal.append(out.record);
          break;
        case 'send':
          this.transport.send(out.to, out.msg);
          break;
        case 'reply': {
          const respond = this.waiting.get(out.requestId);
          this.waiting.delete(out.requestId);
          respond?.(out.reply);
          break;
        }
        case 'event':
          this.events.emit(out.event);
          break;
      }
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
      this.step({ type: 'tick', now: Date.now() });
    }, Math.max(0, at - Date.now()));
  }
}
