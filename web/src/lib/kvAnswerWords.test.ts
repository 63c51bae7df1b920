import { describe, expect, it } from 'vitest';
import type { KvResult } from '@clusterlab/shared';
import { describeKvAnswer, versionToUse, type KvAnswer } from './kvAnswerWords';

const result = (r: Partial<KvResult>): KvResult => ({ key: 'color', servedBy: 'n1', redirectedFrom: null, status: 200, ...r });
const answer = (a: Partial<KvAnswer> & { result: KvResult }): KvAnswer => ({ op: 'put', key: 'color', via: 'leader', value: 'red', ...a });

describe('the last key request, in words', () => {
  it('names the version a read found and a write made', () => {
    expect(describeKvAnswer(answer({ op: 'get', value: undefined, result: result({ value: 'red', index: 12, version: 12 }) }))).toBe(
      'Read color through leader, answered by n1 → "red" (version 12)',
    );
    expect(describeKvAnswer(answer({ result: result({ index: 12, version: 12 }) }))).toBe('Write color = "red" through leader, answered by n1 → acknowledged at index 12 (version 12)');
    expect(describeKvAnswer(answer({ op: 'get', result: result({ status: 404, value: null }) }))).toMatch(/→ not found \(absent: version 0\)$/);
  });

  it('says what a write was conditional on', () => {
    expect(describeKvAnswer(answer({ ifVersion: 9, result: result({ index: 14, version: 14 }) }))).toBe(
      'Write color = "red" only if at version 9 through leader, answered by n1 → acknowledged at index 14 (version 14)',
    );
    expect(describeKvAnswer(answer({ ifVersion: 0, result: result({ index: 3, version: 3 }) }))).toMatch(/^Write color = "red" only if absent through/);
  });

  it('reads a 412 plainly: where the key is, not where the write wanted it', () => {
    const refused = (ifVersion: number, version: number, op: KvAnswer['op'] = 'put') =>
      describeKvAnswer(answer({ op, ifVersion, result: result({ status: 412, version, index: 20, error: `precondition failed (If-Match: "${ifVersion}"): …` }) }));
    expect(refused(9, 12)).toBe('Write color = "red" only if at version 9 through leader, answered by n1 → not written: key "color" is at version 12, not 9');
    expect(refused(9, 0)).toMatch(/→ not written: key "color" does not exist \(version 0\), not version 9$/);
    expect(refused(0, 12)).toMatch(/only if absent .* → not written: key "color" already exists, at version 12$/);
    expect(refused(9, 12, 'delete')).toMatch(/^Delete color only if at version 9 .* → not deleted: key "color" is at version 12, not 9$/);
  });

  it('falls back to the supervisor’s sentence for a 412 it cannot place, and to the status for other failures', () => {
    expect(describeKvAnswer(answer({ result: result({ status: 412, error: 'precondition failed (If-Match: *): key "color" does not exist' }) }))).toMatch(
      /→ not written: precondition failed \(If-Match: \*\)/,
    );
    expect(describeKvAnswer(answer({ result: result({ status: 503, servedBy: null, error: 'no leader' }) }))).toBe('Write color = "red" through leader → failed (503): no leader');
  });

  it('offers the version to make the next write conditional on: the one read, written, or found by a 412', () => {
    expect(versionToUse(answer({ op: 'get', result: result({ value: 'red', version: 12 }) }))).toBe(12);
    expect(versionToUse(answer({ op: 'get', result: result({ status: 404, value: null }) }))).toBe(0);
    expect(versionToUse(answer({ result: result({ version: 14 }) }))).toBe(14);
    expect(versionToUse(answer({ ifVersion: 9, result: result({ status: 412, version: 12 }) }))).toBe(12);
    expect(versionToUse(answer({ op: 'delete', result: result({ index: 15 }) }))).toBeNull();
    expect(versionToUse(answer({ result: result({ status: 503 }) }))).toBeNull();
  });
});
