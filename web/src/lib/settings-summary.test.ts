import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '@clusterlab/shared';
import { formatSettingsSummary } from './format';

describe("the header's settings line", () => {
  it('names the algorithm, its own knobs and how durable the log is', () => {
    expect(formatSettingsSummary(DEFAULT_SETTINGS)).toBe('Bully · heartbeat 50 ms · election 200–300 ms · ack majority · fsync batch');
    expect(formatSettingsSummary({ ...DEFAULT_SETTINGS, algorithm: 'raft', preVote: false, fsync: 'always' })).toBe(
      'Raft · heartbeat 50 ms · election 200–300 ms · no pre-vote · check-quorum · fsync always',
    );
  });
});
