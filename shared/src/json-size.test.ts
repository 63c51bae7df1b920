import { describe, expect, it } from 'vitest';
import { jsonEntryBytes, jsonPairBytes, jsonStringBytes } from './json-size';
import { Rng } from './rng';

const exact = (s: string) => Buffer.byteLength(JSON.stringify(s));

describe('the JSON size of a string, counted without writing it', () => {
  it('is exact for ASCII, escapes, every UTF-8 length and lone surrogates', () => {
    const cases = ['', 'plain', 'a"quote', 'back\\slash', 'tab\tnew\nline', '\u0000\u0001\u001f', '\u007f', 'é', '€', '😀', '\ud800', 'x\udc00y', '\ud83d'];
    for (const s of cases) expect(jsonStringBytes(s), JSON.stringify(s)).toBe(exact(s));
  });

  it('is exact for random strings drawn from the whole of UTF-16', () => {
    const rng = new Rng(7);
    for (let i = 0; i < 500; i++) {
      const s = String.fromCharCode(...Array.from({ length: rng.int(40) }, () => (rng.int(4) === 0 ? rng.int(0x80) : rng.int(0x10000))));
      expect(jsonStringBytes(s)).toBe(exact(s));
    }
  });

  it('bounds a snapshot pair from above, whatever its index', () => {
    const stored = { value: 'v"\u0001é', index: 2 ** 48 - 1 };
    expect(jsonPairBytes('k€', stored)).toBeGreaterThanOrEqual(Buffer.byteLength(JSON.stringify(['k€', stored])) + 1);
  });

  it('bounds a log entry of either algorithm from above, whatever its index and term', () => {
    const big = 2 ** 48 - 1;
    const put = { type: 'put' as const, key: 'k"\u0002', value: 'ü\n€' };
    const del = { type: 'delete' as const, key: 'k' };
    const bytes = (x: unknown) => Buffer.byteLength(JSON.stringify(x)) + 1;
    expect(jsonEntryBytes(put.key, put.value)).toBeGreaterThanOrEqual(bytes({ index: big, epoch: big, op: put }));
    expect(jsonEntryBytes(put.key, put.value)).toBeGreaterThanOrEqual(bytes({ index: big, term: big, command: put }));
    expect(jsonEntryBytes(del.key, null)).toBeGreaterThanOrEqual(bytes({ index: big, term: big, command: del }));
  });
});
