import { describeFault, type ClusterEvent, type Fault, type FaultView, type HistoryOp, type WorkloadFault } from '@clusterlab/shared';

/**
 * Every fault in force during a run, whoever put it there — the run's own schedule, the fault
 * API, a learner's kill button — read from the event stream as it passes, with the messages
 * and requests each one cost. At the end it says, per fault, whether it bit: a fault during
 * which no operation ran, or that cut no link a message used, passed a test without touching
 * it, and the learner should know.
 */
type Open = { id: string | null; fault: Fault; description: string; fromMs: number; toMs: number | null };

/** "cut by partition-2", "lost to loss-1 (20% of messages)": the reasons link rules give. */
const LOST_TO = /(?:cut by|lost to) ([a-z]+-\d+)/;

export class FaultTimeline {
  private readonly faults: Open[] = [];
  private readonly lasting = new Map<string, Open>();
  /** A node's kill, stop, pause or restart, until it is back. */
  private readonly process = new Map<string, Open>();
  private readonly losses = new Map<string, number>();

  /** `startedAt`: the run's start on the wall clock, which event times are on. */
  constructor(
    private readonly startedAt: number,
    inForce: readonly FaultView[],
  ) {
    for (const f of inForce) this.openLasting(f.id, f.fault, f.description, 0);
  }

  observe(event: ClusterEvent): void {
    const at = Math.max(0, event.time - this.startedAt);
    switch (event.kind) {
      case 'fault.network':
        this.openLasting(event.data.id, event.data.fault, event.data.description, at);
        return;
      case 'fault.healed':
        this.close(this.lasting, event.data.id, at);
        return;
      case 'fault.injected': {
        const { action, target } = event.data;
        if (action === 'kill' || action === 'stop' || action === 'pause' || action === 'restart') {
          if (action === 'restart' && this.process.has(target)) return; // the restart ends the kill, when the node is ready
          const fault: Fault = { kind: action, node: target };
          this.openProcess(target, { id: null, fault, description: describeFault(fault), fromMs: at, toMs: null });
        } else if (action === 'resume') {
          this.close(this.process, target, at);
        }
        return;
      }
      case 'node.ready':
        this.close(this.process, event.data.id, at);
        return;
      case 'message.lost':
        this.noteLoss(event.data.reason);
        return;
      default:
        return;
    }
  }

  /** A request or answer of the clients' that a fault ate (the reason names it). */
  noteLoss(reason: string): void {
    const id = LOST_TO.exec(reason)?.[1];
    if (id !== undefined) this.losses.set(id, (this.losses.get(id) ?? 0) + 1);
  }

  /** The faults of the run, each with whether it bit, judged against the history up to `endMs`. */
  judge(history: readonly HistoryOp[], endMs: number): WorkloadFault[] {
    return this.faults.map((f) => {
      const to = f.toMs ?? endMs;
      let ran = 0;
      let troubled = 0;
      for (const op of history) {
        if (op.invokeMs < to && (op.completeMs ?? endMs) > f.fromMs) {
          ran++;
          if (op.outcome !== 'ok') troubled++;
        }
      }
      const { bit, effect } = this.effect(f, ran, troubled);
      return { ...f, bit, effect };
    });
  }

  private effect(f: Open, ran: number, troubled: number): { bit: boolean; effect: string } {
    if (ran === 0) return { bit: false, effect: 'no operation ran while it was in force' };
    const meanwhile =
      ran === 1
        ? `1 operation ran while it held, and ${troubled === 1 ? 'failed or ended unknown' : 'went through'}`
        : `${ran} operations ran while it held; ${troubled === 0 ? 'every one went through' : `${troubled} failed or ended unknown`}`;
    const cuts = f.fault.kind === 'partition' || f.fault.kind === 'cut' || f.fault.kind === 'loss';
    if (cuts && f.id !== null) {
      const lost = this.losses.get(f.id) ?? 0;
      if (lost === 0) return { bit: false, effect: 'it cut no link a message used: no message or request was lost to it' };
      return { bit: true, effect: `${lost === 1 ? '1 message or request was' : `${lost} messages and requests were`} lost to it; ${meanwhile}` };
    }
    return { bit: true, effect: meanwhile };
  }

  private openLasting(id: string, fault: Fault, description: string, at: number): void {
    if (this.lasting.has(id)) return;
    const open: Open = { id, fault, description, fromMs: at, toMs: null };
    this.lasting.set(id, open);
    this.faults.push(open);
  }

  private openProcess(node: string, open: Open): void {
    this.process.set(node, open);
    this.faults.push(open);
  }

  private close(map: Map<string, Open>, key: string, at: number): void {
    const open = map.get(key);
    if (!open) return;
    open.toMs = at;
    map.delete(key);
  }
}
