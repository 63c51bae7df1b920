import { outputsDigest, type TraceBoot, type TraceBootRecord, type TraceCoreInput } from '@clusterlab/shared';
import { algorithmFor } from '../algorithms';
import type { AnyCore, CoreInput, CoreOutput } from '../core/types';

/** The first step whose replayed outputs differ from the recorded ones (or that threw). */
export type StepMismatch = {
  step: number;
  input: TraceCoreInput;
  expected: string;
  /** The replayed outputs' digest, or what the core threw. */
  got: string;
};

export type BootReplay = {
  node: string;
  boot: string;
  /** Steps replayed (all that were recorded, up to `upTo`, or up to the mismatch). */
  steps: number;
  mismatch: StepMismatch | null;
  /** The core as it is after the last step replayed: where a fork continues from. */
  core: AnyCore;
};

/**
 * Re-creates one recorded core (its boot: config and disk) and feeds it its recorded inputs
 * in order, checking each step's outputs against the recorded digest. The core is pure, so on
 * an honest recording every step matches; the first that does not is a bug worth its own test
 * (the core read something that is not its input). No I/O: this runs in the tests, the CLI
 * and, bundled, in the browser.
 */
export function replayBoot(record: TraceBootRecord, options: { upTo?: number; onOutputs?: (outputs: CoreOutput[], step: number, core: AnyCore) => void } = {}): BootReplay {
  const { boot, inputs } = record;
  const core = recreateCore(boot);
  const upTo = Math.min(options.upTo ?? inputs.length, inputs.length);
  for (let i = 0; i < upTo; i++) {
    const recorded = inputs[i]!;
    let got: string;
    try {
      const outputs = core.step(structuredClone(recorded.input) as CoreInput);
      got = outputsDigest(outputs);
      options.onOutputs?.(outputs, i, core);
    } catch (err) {
      got = `threw ${(err as Error).message}`;
    }
    if (got !== recorded.out) return { node: boot.node, boot: boot.boot, steps: i, mismatch: { step: i, input: recorded.input, expected: recorded.out, got }, core };
  }
  return { node: boot.node, boot: boot.boot, steps: upTo, mismatch: null, core };
}

/** A recorded core as its boot created it: the same config and disk (copies, so the trace stays as recorded). */
export function recreateCore(boot: TraceBoot): AnyCore {
  return algorithmFor(boot.config.settings.algorithm).create(structuredClone(boot.config), boot.restored === null ? undefined : structuredClone(boot.restored));
}
