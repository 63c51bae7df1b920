import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ALGORITHM_SETTING_KEYS, ClusterSettings, DEFAULT_SETTINGS } from '@clusterlab/shared';
import { flagName } from './setting-flags';

/**
 * Every cluster setting is also a command-line flag, kebab-cased: heartbeatIntervalMs ↔
 * --heartbeat-interval-ms. The supervisor formats them for its children; node, registry and
 * supervisor parse them. One table, so the two sides cannot drift.
 */
type Key = keyof ClusterSettings;
const KEYS = Object.keys(DEFAULT_SETTINGS) as Key[];

export { flagName };

export const settingsOptions: NonNullable<ParseArgsConfig['options']> = Object.fromEntries(
  KEYS.map((k) => [flagName(k), { type: 'string' as const }]),
);

/** Flags for a child process. */
export function settingsToArgs(settings: ClusterSettings): string[] {
  return KEYS.flatMap((k) => [`--${flagName(k)}`, String(settings[k])]);
}

/** Reads the settings flags (missing ones take defaults); throws a readable error on bad values. */
export function settingsFromValues(values: Record<string, unknown>, base: ClusterSettings = DEFAULT_SETTINGS): ClusterSettings {
  const merged: Record<string, unknown> = { ...base };
  for (const k of KEYS) {
    const raw = values[flagName(k)];
    if (typeof raw !== 'string') continue;
    merged[k] = fromFlag(DEFAULT_SETTINGS[k], raw);
  }
  const parsed = ClusterSettings.safeParse(merged);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first?.path.length ? `--${flagName(first.path[0] as Key)}: ` : '';
    throw new Error(`${where}${first?.message ?? 'invalid settings'}`);
  }
  return parsed.data;
}

/** A flag's text as the type its default has: "5" → 5, "false" → false, "raft" → "raft". */
function fromFlag(example: unknown, raw: string): unknown {
  if (typeof example === 'number') return raw.trim() === '' ? Number.NaN : Number(raw);
  if (typeof example === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw;
  return raw;
}

/** "bully|raft" for a choice, "true|false" for a switch, "" for a number. */
function choicesOf(key: Key): string {
  const example = DEFAULT_SETTINGS[key];
  if (typeof example === 'boolean') return 'true|false';
  const options = (ClusterSettings.shape[key] as { options?: readonly string[] }).options;
  return options ? options.join('|') : '';
}

/** One line per flag, grouped: what every algorithm reads, then each algorithm's own. */
export function settingsHelp(): string {
  const own = new Set(Object.values(ALGORITHM_SETTING_KEYS).flat());
  const line = (k: Key) => `  ${`--${flagName(k)} ${choicesOf(k)}`.padEnd(40)} default ${DEFAULT_SETTINGS[k]}`;
  const groups = [
    KEYS.filter((k) => !own.has(k)).map(line).join('\n'),
    ...Object.entries(ALGORITHM_SETTING_KEYS).map(([algorithm, keys]) => `${algorithm} only:\n${(keys as Key[]).map(line).join('\n')}`),
  ];
  return groups.join('\n');
}

export { parseArgs };
