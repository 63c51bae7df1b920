import { describe, expect, it } from 'vitest';
import { parseSettingsUpdate } from './api';
import { DEFAULT_SETTINGS, type ClusterSettings } from './settings';

describe('a settings update', () => {
  const raft: ClusterSettings = { ...DEFAULT_SETTINGS, algorithm: 'raft', fsync: 'always', preVote: false };
  const { algorithm: _a, fsync: _f, preVote: _p, checkQuorum: _c, snapshotThresholdEntries: _s, ...before } = DEFAULT_SETTINGS;

  it('written before Raft and fsync existed keeps the algorithm and durability the cluster runs with', () => {
    const parsed = parseSettingsUpdate(raft, { ...before, heartbeatIntervalMs: 40 });
    expect(parsed.success && parsed.data).toMatchObject({ algorithm: 'raft', fsync: 'always', preVote: false, heartbeatIntervalMs: 40 });
  });

  it('may switch the algorithm', () => {
    const parsed = parseSettingsUpdate(DEFAULT_SETTINGS, { ...before, algorithm: 'raft' });
    expect(parsed.success && parsed.data.algorithm).toBe('raft');
  });

  it('still needs the common timings, and says which one is missing', () => {
    const parsed = parseSettingsUpdate(DEFAULT_SETTINGS, {});
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['heartbeatIntervalMs']);
  });

  it('refuses an unknown algorithm or durability mode', () => {
    expect(parseSettingsUpdate(DEFAULT_SETTINGS, { ...before, algorithm: 'paxos' }).success).toBe(false);
    expect(parseSettingsUpdate(DEFAULT_SETTINGS, { ...before, fsync: 'sometimes' }).success).toBe(false);
  });
});
