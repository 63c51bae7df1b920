import { describe, expect, it } from 'vitest';
import { parseRegistryArgs } from './args';

describe('the registry command line', () => {
  it('defaults to any free port on loopback with the default ttl', () => {
    expect(parseRegistryArgs([])).toEqual({ help: false, port: 0, host: '127.0.0.1', ttlMs: 1000, secretFile: undefined });
  });

  it('reads port, host and ttl', () => {
    expect(parseRegistryArgs(['--port', '7000', '--host', '0.0.0.0', '--registry-ttl-ms', '250'])).toMatchObject({
      port: 7000,
      host: '0.0.0.0',
      ttlMs: 250,
    });
  });

  it.each([
    [['--port', '70000'], /--port/],
    [['--port', 'abc'], /--port/],
    [['--registry-ttl-ms', '5'], /--registry-ttl-ms/],
    [['--bogus'], /bogus/],
    [['stray'], /stray|positional/i],
  ])('rejects %j with a message naming the problem', (argv, message) => {
    expect(() => parseRegistryArgs(argv)).toThrow(message);
  });
});
