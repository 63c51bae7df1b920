/**
 * Every way a child process is asked to stop, in one place: SIGTERM (Stop), SIGINT (Ctrl-C
 * reaches the whole process group), the IPC channel closing (the supervisor died — a child
 * nobody supervises would only be a leak) and an explicit `shutdown` command.
 */
export function onStopRequest(stop: (why: string) => void): void {
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('disconnect', () => stop('the supervisor disconnected'));
  process.on('message', (message: unknown) => {
    if ((message as { type?: unknown } | null)?.type === 'shutdown') stop('shutdown command');
  });
}
