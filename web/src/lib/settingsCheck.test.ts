import { describe, expect, it } from 'vitest';
import { ClusterSettings, DEFAULT_SETTINGS } from '@clusterlab/shared';
import { settingsProblems } from './settingsCheck';

describe('settings form checks', () => {
  it('the defaults pass', () => {
    expect(settingsProblems(DEFAULT_SETTINGS)).toEqual({});
  });

  it('agrees with the shared schema on the cases it rejects', () => {
    const cases = [
      { ...DEFAULT_SETTINGS, electionTimeoutMinMs: 400, electionTimeoutMaxMs: 300 },
      { ...DEFAULT_SETTINGS, heartbeatIntervalMs: 150 },
      { ...DEFAULT_SETTINGS, heartbeatIntervalMs: 5 },
      { ...DEFAULT_SETTINGS, writeTimeoutMs: 12.5 },
    ];
    for (const c of cases) {
      expect(ClusterSettings.safeParse(c).success).toBe(false);
      expect(Object.keys(settingsProblems(c)).length).toBeGreaterThan(0);
    }
  });

  it('names the field to fix', () => {
    expect(Object.keys(settingsProblems({ ...DEFAULT_SETTINGS, heartbeatIntervalMs: 150 }))).toEqual(['electionTimeoutMinMs']);
  });
});
