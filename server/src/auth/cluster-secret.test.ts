import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { newClusterSecret, readClusterSecret } from './cluster-secret';
import { RequestSigner } from './request-signature';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('the cluster secret', () => {
  it('comes from --secret-file (trimmed) before the environment, and a missing one is a sentence', () => {
    const dir = mkdtempSync(join(tmpdir(), 'clusterlab-secret-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'secret'), 'from-the-file-0123456789\n');
    expect(readClusterSecret(join(dir, 'secret'), { CLUSTERLAB_SECRET: 'from-the-environment-0123' })).toBe('from-the-file-0123456789');
    expect(readClusterSecret(undefined, { CLUSTERLAB_SECRET: 'from-the-environment-0123' })).toBe('from-the-environment-0123');
    expect(() => readClusterSecret(undefined, {})).toThrow(/no cluster secret: set CLUSTERLAB_SECRET .* or pass --secret-file/);
    expect(() => readClusterSecret(join(dir, 'absent'), {})).toThrow(/cannot read the cluster secret from .*absent: ENOENT/);
    expect(() => readClusterSecret(undefined, { CLUSTERLAB_SECRET: 'short' })).toThrow(/too short/);
  });

  it('is fresh each time, and a signature made with one is refused by another', () => {
    const [a, b] = [newClusterSecret(), newClusterSecret()];
    expect(a).not.toBe(b);
    const request = { method: 'POST', target: '/peer', body: '{"x":1}' };
    const header = new RequestSigner(a).sign(request, 1000);
    expect(new RequestSigner(a).verify(header, request, 1000)).toEqual({ ok: true });
    expect(new RequestSigner(b).verify(header, request, 1000)).toMatchObject({ ok: false, reason: expect.stringMatching(/does not match/) });
    expect(new RequestSigner(a).verify(header, { ...request, target: '/peer?x' }, 1000)).toMatchObject({ ok: false });
  });
});
