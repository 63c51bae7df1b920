import { FaultsMessage, type ActiveFault } from '@clusterlab/shared';

/**
 * The supervisor's `faults` messages over IPC: the whole set of lasting faults in force, each
 * time it changes. One that does not parse is said and ignored (the next one is whole again).
 */
export function onFaultsMessage(take: (active: ActiveFault[]) => void, warn: (line: string) => void): void {
  process.on('message', (message: unknown) => {
    if ((message as { type?: unknown } | null)?.type !== 'faults') return;
    const parsed = FaultsMessage.safeParse(message);
    if (parsed.success) take(parsed.data.active);
    else warn(`ignoring a faults message from the supervisor: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  });
}
