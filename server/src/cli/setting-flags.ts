import type { ClusterSettings } from '@clusterlab/shared';

/**
 * A cluster setting's command-line flag, kebab-cased: heartbeatIntervalMs ↔ heartbeat-interval-ms.
 * Apart from the parsing (settings-args.ts), so the simulator's replay command can name flags
 * in the browser too.
 */
export function flagName(key: keyof ClusterSettings): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
