/**
 * Where a lesson played step by step waits for the learner: before each step it is asked how
 * many are done, and once that reaches the target it pauses until released to a further one
 * (or the run is stopped). A target of Infinity never pauses: the lesson plays through.
 */
export class StepGate {
  private wake: (() => void) | null = null;

  constructor(
    private target: number,
    private readonly signal: AbortSignal,
    private readonly on: { paused: (done: number) => void; resumed: () => void },
  ) {
    signal.addEventListener('abort', () => this.wake?.(), { once: true });
  }

  async before(done: number): Promise<void> {
    if (done < this.target || this.signal.aborted) return;
    this.on.paused(done);
    await new Promise<void>((resolve) => (this.wake = resolve));
    this.wake = null;
    if (!this.signal.aborted) this.on.resumed();
  }

  /** Plays on until `target` steps are done. */
  release(target: number): void {
    this.target = target;
    this.wake?.();
  }
}
