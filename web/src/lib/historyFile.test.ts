import { describe, expect, it } from 'vitest';
import { readHistoryFile } from './historyFile';

const op = { id: 1, client: 'c1', kind: 'write', key: 'k', value: 'v', invokeMs: 0, completeMs: 5, outcome: 'ok' };

describe('an imported history file', () => {
  it('may be the exported file, whose faults are drawn too', () => {
    const r = readHistoryFile(JSON.stringify({ history: [op], finalStates: {}, faults: [{ id: null, fault: { kind: 'kill', node: 'n1' }, description: 'n1 killed', fromMs: 10, toMs: null }, { junk: true }] }));
    expect(r).toMatchObject({ history: [op], faults: [{ description: 'n1 killed', fromMs: 10, toMs: null }] });
  });
  it('may be a bare history array, sent as it is', () => {
    expect(readHistoryFile(JSON.stringify([op]))).toEqual({ body: [op], history: [op], faults: [] });
  });
  it('says why it is not a history', () => {
    expect(readHistoryFile('{"history": ')).toEqual({ problem: 'the file is not JSON' });
    expect(readHistoryFile('{"ops": []}')).toEqual({ problem: 'the file has no history: expected an array of operations, or an object with a "history" array' });
  });
});
