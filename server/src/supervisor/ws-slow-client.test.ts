import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { WS_CLOSE_FELL_BEHIND } from '@clusterlab/shared';
import { call, kvWrite } from '../test-utils/http';
import { waitFor } from '../test-utils/wait-for';
import { useSupervisor, type TestCluster } from '../test-utils/test-supervisor';

/**
 * A browser that stops reading /ws (a frozen tab, a dead laptop lid) must not make the
 * supervisor hold every event for it: past a small bound it is told why and let go, while the
 * cluster — and every other browser — carries on.
 */

const BOUND = 64 * 1024;
const GRACE_MS = 1500;

/** Writes with long keys (events carry keys, not values) until `done`: events flow fast. */
async function writeUntil(lab: TestCluster, done: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  let n = 0;
  const loop = async () => {
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`timed out after 30 s writing keys, waiting for ${what}`);
      const key = `${'k'.repeat(900)}-${(n += 1)}`;
      await call(lab.api(`/kv/${key}`), kvWrite('v'));
    }
  };
  await Promise.all(Array.from({ length: 8 }, loop));
}

const dropped = (lab: TestCluster, from: number) => lab.logLines.slice(from).some((l) => /\[ws\] dropping a client that fell behind/.test(l));

describe('a /ws client that stops reading', () => {
  const lab = useSupervisor({ nodes: 1, eventStream: { maxBufferedBytes: BOUND, dropGraceMs: GRACE_MS } });

  it('is closed with 4008 and a reason saying how far behind it fell, which it reads once it catches up', async () => {
    await lab.waitForLeader();
    const ws = new WebSocket(`${lab.supervisor.url.replace(/^http/, 'ws')}ws`);
    const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: String(reason) })));
    await new Promise((resolve, reject) => {
      ws.once('message', resolve);
      ws.once('error', reject);
    });
    // The page freezes: its socket is no longer read.
    (ws as unknown as { _socket: net.Socket })._socket.pause();
    const logFrom = lab.logLines.length;
    await writeUntil(lab, () => dropped(lab, logFrom), 'the supervisor to drop the client');

    (ws as unknown as { _socket: net.Socket })._socket.resume();
    const { code, reason } = await closed;
    expect(code).toBe(WS_CLOSE_FELL_BEHIND);
    expect(reason).toMatch(/^you fell behind: \d+\.\d MiB of events were waiting unread$/);
    await waitFor(() => lab.supervisor.streamClients() === 0, { what: 'the supervisor to forget the client' });
  });

  it('that never reads at all is let go after the grace, and the stream goes on for others', async () => {
    await lab.waitForLeader();
    // A raw socket that upgrades and then never reads another byte.
    const socket = net.connect(lab.supervisor.port, '127.0.0.1');
    socket.on('error', () => {});
    const key = randomBytes(16).toString('base64');
    socket.write(
      `GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${lab.supervisor.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    await new Promise<void>((resolve) => socket.once('data', (chunk: Buffer) => (expect(chunk.toString()).toMatch(/^HTTP\/1\.1 101/), resolve())));
    socket.pause();
    expect(lab.supervisor.streamClients()).toBe(1);

    const logFrom = lab.logLines.length;
    await writeUntil(lab, () => dropped(lab, logFrom), 'the supervisor to drop the client');
    // Its close frame goes unread too; after the grace the supervisor destroys the socket
    // and with it whatever was still queued for it.
    await waitFor(() => lab.supervisor.streamClients() === 0, { what: 'the supervisor to let go of the socket', timeoutMs: GRACE_MS + 5000 });

    const other = new WebSocket(`${lab.supervisor.url.replace(/^http/, 'ws')}ws`);
    const first = await new Promise<string>((resolve, reject) => {
      other.once('message', (data) => resolve(String(data)));
      other.once('error', reject);
    });
    expect(JSON.parse(first).type).toBe('snapshot');
    other.terminate();
    socket.destroy();
  });
});
