import { parseTrace, TraceFormatError } from '@clusterlab/shared';
import { replayBoot, type BootReplay } from '../node/replay/replay-boot';

export const REPLAY_EXIT = { match: 0, mismatch: 1, badInput: 2 } as const;

/**
 * Replays every recorded core of a trace and says, per node process, whether each step gave
 * the recorded outputs — the first that did not, with its input — and how fast it went.
 * Pure apart from the clock it reads to time itself.
 */
export function replayTraceText(text: string, now: () => number = () => performance.now()): { exitCode: number; output: string } {
  let trace;
  try {
    trace = parseTrace(text);
  } catch (err) {
    if (err instanceof TraceFormatError) return { exitCode: REPLAY_EXIT.badInput, output: `not a trace: ${err.message}` };
    throw err;
  }
  const { header } = trace;
  const lines = [`${header.source === 'sim' ? `simulated run ${header.run} (seed ${header.seed})` : `run ${header.run}`}: ${header.algorithm}, ${header.nodes} nodes, ${trace.boots.length} node processes, ${trace.events.length} events`];
  let mismatches = 0;
  let steps = 0;
  const started = now();
  for (const record of trace.boots) {
    const replay = replayBoot(record);
    steps += replay.steps;
    if (replay.mismatch) mismatches++;
    lines.push(describe(replay, record.inputs.length, record.truncated?.reason ?? null));
  }
  const ms = Math.max(now() - started, 0.001);
  lines.push(
    mismatches === 0
      ? `every step of every core gave its recorded outputs: ${steps.toLocaleString('en')} steps replayed in ${ms.toFixed(0)} ms (${Math.round((steps / ms) * 1000).toLocaleString('en')} steps/s)`
      : `${mismatches} of ${trace.boots.length} cores gave outputs other than the recorded ones: a core read something that is not its input`,
  );
  return { exitCode: mismatches === 0 ? REPLAY_EXIT.match : REPLAY_EXIT.mismatch, output: lines.join('\n') };
}

function describe(replay: BootReplay, recorded: number, truncated: string | null): string {
  const head = `  ${replay.node} (boot ${replay.boot})`;
  const cut = truncated ? ` (recording stopped after that: ${truncated})` : '';
  if (!replay.mismatch) return `${head}: ${recorded.toLocaleString('en')} steps, all as recorded${cut}`;
  const { step, input, expected, got } = replay.mismatch;
  return `${head}: step ${step} of ${recorded} differs — recorded outputs ${expected}, replayed ${got}; the input was ${JSON.stringify(input).slice(0, 300)}`;
}
