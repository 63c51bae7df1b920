import type { ClusterSettings } from '@clusterlab/shared';

/** The settings typed as whole milliseconds. */
export type MsKey = { [K in keyof ClusterSettings]: K extends `${string}Ms` ? K : never }[keyof ClusterSettings];

/**
 * The same rules as the shared zod schema, checked as the learner types so the dialog can say
 * which field is wrong. (The schema module drags zod into the bundle; the supervisor validates
 * again and its error is shown if these ever drift.)
 */
const RANGES: Record<MsKey, [number, number]> = {
  heartbeatIntervalMs: [10, 5000],
  electionTimeoutMinMs: [20, 30_000],
  electionTimeoutMaxMs: [20, 30_000],
  electionAnswerTimeoutMs: [5, 10_000],
  electionVictoryTimeoutMs: [10, 30_000],
  writeTimeoutMs: [50, 60_000],
  registryIntervalMs: [10, 10_000],
  registryTtlMs: [50, 60_000],
};

/** Whole numbers that are not durations, and their bounds. */
const COUNTS = { snapshotThresholdEntries: [10, 1_000_000] } as const satisfies Partial<Record<keyof ClusterSettings, readonly [number, number]>>;
export type CountKey = keyof typeof COUNTS;

export function settingsProblems(s: ClusterSettings): Partial<Record<MsKey | CountKey, string>> {
  const out: Partial<Record<MsKey | CountKey, string>> = {};
  for (const [key, [min, max]] of Object.entries(COUNTS) as [CountKey, readonly [number, number]][]) {
    const v = s[key];
    if (!Number.isInteger(v)) out[key] = 'Enter a whole number.';
    else if (v < min || v > max) out[key] = `Between ${min} and ${max}.`;
  }
  for (const [key, [min, max]] of Object.entries(RANGES) as [MsKey, [number, number]][]) {
    const v = s[key];
    if (!Number.isInteger(v)) out[key] = 'Enter a whole number of milliseconds.';
    else if (v < min || v > max) out[key] = `Between ${min} and ${max} ms.`;
  }
  if (!out.electionTimeoutMinMs && !out.electionTimeoutMaxMs && s.electionTimeoutMinMs > s.electionTimeoutMaxMs) {
    out.electionTimeoutMaxMs = 'Must not be below the minimum.';
  }
  if (!out.heartbeatIntervalMs && !out.electionTimeoutMinMs && s.heartbeatIntervalMs * 2 > s.electionTimeoutMinMs) {
    out.electionTimeoutMinMs = 'Must span at least two heartbeat intervals, or followers time out between heartbeats.';
  }
  return out;
}
