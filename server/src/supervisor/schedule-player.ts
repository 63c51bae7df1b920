import { isHeal, isProcessFault, type FaultId, type FaultSchedule, type LastingFault, type ProcessFault } from '@clusterlab/shared';

/**
 * Plays a run's fault schedule on the real cluster, step by step at its times: lasting faults
 * through the fault state (so they are events and reach every node, as POST /api/faults
 * does), process faults through the process manager (as the node buttons do). The schedule's
 * ids are its own; the fault state gives each fault a fresh one, and heals go by that.
 *
 * When the run ends, what the schedule left in force is healed: the cluster is whole again for
 * the final states, and for the learner. Process faults are left as they are — a schedule that
 * kills a node without restarting it meant the node to stay down.
 */
export type FaultActions = {
  apply(fault: LastingFault): { id: FaultId } | Promise<{ id: FaultId }>;
  heal(id: FaultId | 'all'): void | Promise<void>;
  act(fault: ProcessFault): Promise<void>;
};

export class SchedulePlayer {
  private readonly timers: NodeJS.Timeout[] = [];
  /** The steps at one time, in order; steps at the next time wait for these (an API may be slow). */
  private playing: Promise<void> = Promise.resolve();
  /** The schedule's id (or its step) → the id the fault state gave it, while in force. */
  private readonly live = new Map<string, FaultId>();
  readonly problems: string[] = [];

  constructor(
    private readonly schedule: FaultSchedule,
    private readonly actions: FaultActions,
    /** Told of each step that could not be done, as it happens (they are kept in `problems` too). */
    private readonly onProblem: (problem: string) => void = () => {},
  ) {}

  private problem(text: string): void {
    this.problems.push(text);
    this.onProblem(text);
  }

  start(): void {
    // Steps at one time happen in the order written: one timer per distinct time, steps in order.
    const byTime = new Map<number, FaultSchedule>();
    for (const step of this.schedule) byTime.set(step.at, [...(byTime.get(step.at) ?? []), step]);
    for (const [at, steps] of byTime) {
      this.timers.push(setTimeout(() => (this.playing = this.playing.then(() => this.play(steps))), at));
    }
  }


  private async play(steps: FaultSchedule): Promise<void> {
    for (const [i, step] of steps.entries()) {
      try {
        if (isHeal(step)) {
          if (step.heal === 'all') {
            // As in the simulator and DELETE /api/faults: every lasting fault, the schedule's or not.
            this.live.clear();
            await this.actions.heal('all');
          } else {
            const id = this.live.get(step.heal);
            this.live.delete(step.heal);
            if (id !== undefined) await this.actions.heal(id);
          }
        } else if (isProcessFault(step.fault)) {
          await this.actions.act(step.fault);
        } else {
          const { id } = await this.actions.apply(step.fault);
          this.live.set(step.id ?? `step-${step.at}-${i}`, id);
        }
      } catch (err) {
        this.problem(`At ${step.at} ms the schedule's step could not be done: ${(err as Error).message}`);
      }
    }
  }

  /** No more steps; once the step under way is done, heals what the schedule left in force. */
  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.length = 0;
    await this.playing;
    const left = [...this.live.values()];
    this.live.clear();
    for (const id of left) {
      try {
        await this.actions.heal(id);
      } catch (err) {
        this.problem(`Could not heal ${id} at the end: ${(err as Error).message}`);
      }
    }
  }
}
