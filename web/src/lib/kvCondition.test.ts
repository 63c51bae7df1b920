import { describe, expect, it } from 'vitest';
import { allows, parseVersionField, preconditionHeaders, versionHint } from './kvCondition';

describe('the "Only if version is" field', () => {
  it('is unconditional when empty, a version when a whole number, and says why otherwise', () => {
    expect(parseVersionField('')).toEqual({ kind: 'none' });
    expect(parseVersionField('  ')).toEqual({ kind: 'none' });
    expect(parseVersionField(' 12 ')).toEqual({ kind: 'version', version: 12 });
    expect(parseVersionField('0')).toEqual({ kind: 'version', version: 0 });
    for (const bad of ['-1', '1.5', '1e3', 'twelve', '1234567890123456']) expect(parseVersionField(bad).kind, bad).toBe('invalid');
  });

  it('sends If-Match with the version in quotes, as an ETag is written', () => {
    expect(preconditionHeaders('put', 12)).toEqual({ 'If-Match': '"12"' });
    expect(preconditionHeaders('delete', 12)).toEqual({ 'If-Match': '"12"' });
  });

  it('makes 0 "create only if absent" for a write, and sends no delete that could never delete anything', () => {
    expect(preconditionHeaders('put', 0)).toEqual({ 'If-None-Match': '*' });
    expect(preconditionHeaders('delete', 0)).toBeNull();
    expect(allows('delete', parseVersionField('0'))).toBe(false);
    expect(allows('put', parseVersionField('0'))).toBe(true);
  });

  it('lets Read go whatever the field holds, and holds Write and Delete back while it is not a version', () => {
    const bad = parseVersionField('x');
    expect(allows('get', bad)).toBe(true);
    expect(allows('put', bad)).toBe(false);
    expect(allows('delete', bad)).toBe(false);
    expect(allows('delete', parseVersionField(''))).toBe(true);
  });

  it('says what Write and Delete will do, in one short line', () => {
    expect(versionHint(parseVersionField(''))).toBe('Empty: always. 0: only if absent.');
    expect(versionHint(parseVersionField('9'))).toBe('Write or Delete only if the key is still at version 9.');
    expect(versionHint(parseVersionField('0'))).toMatch(/^Write only if the key is absent/);
    expect(versionHint(parseVersionField('x'))).toBe('Not a version: a whole number of 0 or more, as a read shows it.');
  });
});
