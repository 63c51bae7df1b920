import type { TraceBootRecord } from '@clusterlab/shared';
import type { AnyCore, CoreInput } from '../core/types';
import { recreateCore } from './replay-boot';

/**
 * A recorded core kept at a step, so going on from there costs only the steps between: moving
 * forward through a run replays a few steps, not the whole run again. Going back re-creates the
 * core from its boot (a core cannot be stepped backwards). Pure.
 */
export class ReplayCursor {
  private core: AnyCore | null = null;
  private at = 0;

  constructor(private readonly record: TraceBootRecord) {}

  /** The core just after its first `steps` recorded inputs. */
  coreAfter(steps: number): AnyCore {
    const target = Math.max(0, Math.min(steps, this.record.inputs.length));
    if (!this.core || target < this.at) {
      this.core = recreateCore(this.record.boot);
      this.at = 0;
    }
    for (; this.at < target; this.at++) this.core.step(structuredClone(this.record.inputs[this.at]!.input) as CoreInput);
    return this.core;
  }

  /** How many steps the core has taken. */
  get steps(): number {
    return this.at;
  }
}
