import { z } from 'zod';
import type { EmittedEvent } from './events';
import { ActiveFault, MAX_ACTIVE_FAULTS } from './faults';

/** The most events one IPC message may carry. */
export const MAX_EVENTS_PER_BATCH = 10_000;

/**
 * Child process (registry or node) → supervisor, over the Node IPC channel, as the supervisor
 * first reads it: a batch's events are checked one by one afterwards (EmittedEvent), so one
 * bad event does not cost the good ones around it.
 */
export const ChildMessage = z.discriminatedUnion('type', [
  /** The child is listening on this port (it bound port 0 and reports the real one). */
  z.object({ type: z.literal('ready'), port: z.number().int().min(1).max(65_535) }),
  /** Events, batched so that a busy node sends a few IPC messages a second, not thousands. */
  z.object({ type: z.literal('events'), events: z.array(z.unknown()).max(MAX_EVENTS_PER_BATCH) }),
  /** The answer to `flush`: what it had batched (its events, its recording) is written out. */
  z.object({ type: z.literal('flushed') }),
]);

/** What a child sends. */
export type ChildToSupervisor = { type: 'ready'; port: number } | { type: 'events'; events: EmittedEvent[] } | { type: 'flushed' };

/**
 * Supervisor → child: stop, or the whole set of lasting faults now in force (sent to every
 * node whenever it changes, and to a node as it starts), from which the node reads its link
 * rules and its clock's offset. The whole set, never a difference: a node that missed one
 * message is right again with the next. `flush`: the supervisor is about to SIGKILL the node —
 * the lab's own record of it (events, the run's trace) is written out first, so time travel
 * shows the node up to its end; the node's state and disk are left exactly as they are.
 */
export type SupervisorToChild = { type: 'shutdown' } | { type: 'faults'; active: ActiveFault[] } | { type: 'flush' };

/** How a child checks the faults message: the supervisor is trusted, but a bad value must not crash a node. */
export const FaultsMessage = z.object({ type: z.literal('faults'), active: z.array(ActiveFault).max(MAX_ACTIVE_FAULTS) });

/** The environment variable that hands a child the supervisor's Lamport time as it is spawned: the child's clock starts there. */
export const LAMPORT_ENV = 'CLUSTERLAB_LAMPORT';

/** The environment variable that hands a node the faults in force as it is spawned, before any IPC can arrive. */
export const FAULTS_ENV = 'CLUSTERLAB_FAULTS';
