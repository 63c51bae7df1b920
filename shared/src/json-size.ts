import type { StoredValue } from './kv';

/** Characters that JSON.stringify writes as more than one byte: escapes, and anything past ASCII. */
const NOT_ONE_BYTE = /[\u0000-\u001f"\\\u0080-\uffff]/;

/**
 * The UTF-8 length of JSON.stringify(s), quotes included, without building it: how big a
 * message will be is known before it is sent, so a sender can keep each one under a bound.
 * Plain ASCII (the common case) is one native scan.
 */
export function jsonStringBytes(s: string): number {
  if (!NOT_ONE_BYTE.test(s)) return s.length + 2;
  let n = 2;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20) n += c === 0x08 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d ? 2 : 6;
    else if (c === 0x22 || c === 0x5c) n += 2;
    else if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4; // a surrogate pair is one code point, four bytes
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) n += 6; // a lone surrogate is written as \udxxx
    else n += 3;
  }
  return n;
}

/** The most a number in our messages takes as JSON: indexes and terms stay below 2^48 (15 digits). */
const NUMBER_BYTES = 16;

/** An upper bound on the JSON of one `[key, { value, index }]` pair and the comma after it. */
export function jsonPairBytes(key: string, stored: StoredValue): number {
  // [ , {"value": ,"index": } ] ,
  return jsonStringBytes(key) + jsonStringBytes(stored.value) + NUMBER_BYTES + 24;
}

/**
 * An upper bound on the JSON of one log entry holding a write of `key` (and `value`, for a put)
 * and the comma after it: bully's { index, epoch, op } and Raft's { index, term, command } alike.
 */
export function jsonEntryBytes(key: string, value: string | null): number {
  return jsonStringBytes(key) + (value === null ? 0 : jsonStringBytes(value)) + 2 * NUMBER_BYTES + 72;
}
