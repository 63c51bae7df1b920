import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * An upgrade request is answered on the raw socket, before any WebSocket exists: an ordinary
 * HTTP response with a JSON `{ error }`, like every other refusal here, then the socket closes.
 */
export function refuseUpgrade(socket: Duplex, status: number, error: string, headers: Record<string, string> = {}): void {
  const body = JSON.stringify({ error });
  const extra = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
      `content-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\n${extra}connection: close\r\n\r\n${body}`,
  );
}
