import type { Duplex } from 'node:stream';
import { rawJsonResponse } from './parser-errors';

/**
 * An upgrade request is answered on the raw socket, before any WebSocket exists: an ordinary
 * HTTP response with a JSON `{ error }`, like every other refusal here, then the socket closes
 * (and is destroyed if the peer neither reads nor closes its side).
 */
export function refuseUpgrade(socket: Duplex, status: number, error: string, headers: Record<string, string> = {}): void {
  socket.on('error', () => socket.destroy());
  socket.once('finish', () => socket.destroy());
  socket.end(rawJsonResponse(status, error, headers));
}
