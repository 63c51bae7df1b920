import { z } from 'zod';
import { EmittedEvent } from './events';

/** Child process (registry or node) → supervisor, over the Node IPC channel. */
export const ChildToSupervisor = z.discriminatedUnion('type', [
  /** The child is listening on this port (it bound port 0 and reports the real one). */
  z.object({ type: z.literal('ready'), port: z.number().int() }),
  /** Events, batched so that a busy node sends a few IPC messages a second, not thousands. */
  z.object({ type: z.literal('events'), events: z.array(EmittedEvent).max(10_000) }),
]);
export type ChildToSupervisor = z.infer<typeof ChildToSupervisor>;

/** Supervisor → child. */
export type SupervisorToChild = { type: 'shutdown' };
