import { compareNodeIds, type NodeId, type RegistryEntry } from '@clusterlab/shared';

/**
 * The registry's whole state: which nodes heart-beat recently and where they listen.
 * No clock and no I/O — the caller passes `now` — so expiry is tested by arithmetic, not sleeps.
 */

/** A table this big means something is registering in a loop; refuse rather than grow without end. */
export const MAX_REGISTRY_ENTRIES = 1000;

export type Registration = { id: NodeId; host: string; port: number };

export type RegisterOutcome =
  /** `announced`: the table did not know this node; peers should hear of it. */
  | { ok: true; entry: RegistryEntry; announced: boolean }
  | { ok: false; reason: 'full' }
  /** Another process holds this id at another address and has not expired: two nodes cannot share an id. */
  | { ok: false; reason: 'taken'; holder: RegistryEntry };

export type Expiry = { id: NodeId; silentMs: number };

export class RegistryTable {
  private readonly entries = new Map<NodeId, RegistryEntry>();

  constructor(
    readonly ttlMs: number,
    readonly maxEntries: number = MAX_REGISTRY_ENTRIES,
  ) {
    if (!(ttlMs > 0)) throw new Error(`ttlMs must be positive, got ${ttlMs}`);
    if (!(maxEntries > 0)) throw new Error(`maxEntries must be positive, got ${maxEntries}`);
  }

  get size(): number {
    return this.entries.size;
  }

  /** A registration is also the heartbeat: it (re)starts the node's time to live. */
  register(registration: Registration, now: number): RegisterOutcome {
    const known = this.entries.get(registration.id);
    if (!known && this.entries.size >= this.maxEntries) return { ok: false, reason: 'full' };
    // Taking over a live id would cut its holder off from its peers (they would write to the
    // newcomer's address). A node that restarted on a new port waits out its old entry's TTL —
    // or left gracefully, which frees the id at once.
    if (known && (known.host !== registration.host || known.port !== registration.port)) return { ok: false, reason: 'taken', holder: known };
    const entry: RegistryEntry = { ...registration, lastSeenAt: now, expiresAt: now + this.ttlMs };
    this.entries.set(registration.id, entry);
    return { ok: true, entry, announced: !known };
  }

  /** A graceful leave. Answers whether the node was known. */
  deregister(id: NodeId): boolean {
    return this.entries.delete(id);
  }

  /** Forgets every node silent for ttlMs or longer and says whom it forgot. */
  sweep(now: number): Expiry[] {
    const expired: Expiry[] = [];
    for (const entry of this.entries.values()) {
      if (now >= entry.expiresAt) expired.push({ id: entry.id, silentMs: now - entry.lastSeenAt });
    }
    for (const { id } of expired) this.entries.delete(id);
    return expired;
  }

  /** The live nodes in rank order (n1, n2, … n10), the order the bully algorithm thinks in. */
  list(): RegistryEntry[] {
    return [...this.entries.values()].sort((a, b) => compareNodeIds(a.id, b.id));
  }
}
