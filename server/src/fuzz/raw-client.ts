import net from 'node:net';

/**
 * HTTP/1.1 and WebSocket over a bare TCP socket, for requests fetch would refuse to send or
 * quietly repair: a broken request line, a lying Content-Length, a chunked body past the
 * limit, an unmasked frame. Every call ends within its deadline, whatever the server does.
 */

export type RawAnswer = { status: number; headers: Record<string, string>; body: string };

/** What a socket brought back: an HTTP answer, or why there was none. */
export type RawOutcome = { kind: 'answer'; answer: RawAnswer } | { kind: 'none'; why: string };

export type RequestParts = {
  method: string;
  path: string;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
  /** The Content-Length to declare: a number (truthful or not), or null for none. Default: the body's length, if there is a body. */
  contentLength?: number | null;
  /** Send the body as these chunks, chunked; the chunks' bytes are taken as they are. */
  chunks?: Buffer[];
  /** The protocol on the request line. */
  version?: string;
  /** Leave out the Host header. */
  noHost?: boolean;
};

/**
 * The bytes of one request to `host` (host:port). The connection is left to keep alive: a
 * server that answers before reading a body it refuses then drains it, where one asked to
 * close would reset a connection still carrying the body, and the answer with it. sendRaw
 * closes the socket once it has the answer.
 */
export function requestBytes(host: string, parts: RequestParts): Buffer {
  const lines = [`${parts.method} ${parts.path} ${parts.version ?? 'HTTP/1.1'}`];
  if (!parts.noHost) lines.push(`Host: ${host}`);
  for (const [name, value] of Object.entries(parts.headers ?? {})) {
    for (const v of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${v}`);
  }
  const body = typeof parts.body === 'string' ? Buffer.from(parts.body) : parts.body;
  if (parts.chunks) lines.push('Transfer-Encoding: chunked');
  const length = parts.contentLength === undefined ? (body ? body.length : null) : parts.contentLength;
  if (length !== null) lines.push(`Content-Length: ${length}`);
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  if (parts.chunks) {
    const framed = parts.chunks.flatMap((c) => [Buffer.from(`${c.length.toString(16)}\r\n`), c, Buffer.from('\r\n')]);
    return Buffer.concat([head, ...framed, Buffer.from('0\r\n\r\n')]);
  }
  return body ? Buffer.concat([head, body]) : head;
}

/** Sends `bytes` to 127.0.0.1:`port` and reads the first HTTP answer. */
export function sendRaw(port: number, bytes: Buffer, timeoutMs = 5000): Promise<RawOutcome> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = Buffer.alloc(0);
    let settled = false;
    const finish = (outcome: RawOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish(noAnswer(`no answer within ${timeoutMs} ms`, received)), timeoutMs);
    socket.on('connect', () => socket.write(bytes));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const parsed = parseAnswer(received, false);
      if (parsed) finish({ kind: 'answer', answer: parsed });
    });
    socket.on('end', () => {
      const parsed = parseAnswer(received, true);
      finish(parsed ? { kind: 'answer', answer: parsed } : noAnswer('the server closed the connection', received));
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      // A server that answers early and closes may reset a socket we were still writing to;
      // what it said before that still counts.
      const parsed = parseAnswer(received, true);
      finish(parsed ? { kind: 'answer', answer: parsed } : noAnswer(`socket error ${err.code ?? err.message}`, received));
    });
  });
}

function noAnswer(why: string, received: Buffer): RawOutcome {
  return { kind: 'none', why: received.length > 0 ? `${why}; got ${JSON.stringify(received.subarray(0, 300).toString('latin1'))}` : why };
}

/** One complete HTTP answer at the start of `data`, or null while it is not all there yet. */
function parseAnswer(data: Buffer, ended: boolean): RawAnswer | null {
  const headEnd = data.indexOf('\r\n\r\n');
  if (headEnd < 0) return null;
  const [statusLine = '', ...headerLines] = data.subarray(0, headEnd).toString('latin1').split('\r\n');
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
  if (!match) return ended ? { status: 0, headers: {}, body: data.toString('latin1') } : null;
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const status = Number(match[1]);
  const rest = data.subarray(headEnd + 4);
  if (status === 101 || status === 204 || status === 304) return { status, headers, body: '' };
  if (headers['content-length'] !== undefined) {
    const length = Number(headers['content-length']);
    if (rest.length < length) return ended ? { status, headers, body: rest.toString('utf8') } : null;
    return { status, headers, body: rest.subarray(0, length).toString('utf8') };
  }
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
    const body = dechunk(rest);
    if (body) return { status, headers, body: body.toString('utf8') };
    return ended ? { status, headers, body: rest.toString('utf8') } : null;
  }
  return ended ? { status, headers, body: rest.toString('utf8') } : null;
}

function dechunk(data: Buffer): Buffer | null {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = data.indexOf('\r\n', at);
    if (lineEnd < 0) return null;
    const size = parseInt(data.subarray(at, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size)) return null;
    if (size === 0) return Buffer.concat(parts);
    if (data.length < lineEnd + 2 + size + 2) return null;
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}

// ── WebSocket ─────────────────────────────────────────────────────────────────────────────

/** A valid client key: 16 bytes, base64. */
export const WS_KEY = Buffer.alloc(16, 7).toString('base64');

export type FrameParts = {
  opcode: number;
  payload?: Buffer | string;
  fin?: boolean;
  /** The three reserved bits, as the top nibble's low bits (0..7). */
  rsv?: number;
  /** Clients must mask; a fuzzer may not. */
  mask?: boolean;
  /** A length to declare instead of the payload's. */
  declaredLength?: bigint;
};

/** One WebSocket frame as a client sends it (masked, unless told otherwise). */
export function frame(parts: FrameParts): Buffer {
  const payload = typeof parts.payload === 'string' ? Buffer.from(parts.payload) : (parts.payload ?? Buffer.alloc(0));
  const mask = parts.mask ?? true;
  const length = parts.declaredLength ?? BigInt(payload.length);
  const first = ((parts.fin ?? true) ? 0x80 : 0) | ((parts.rsv ?? 0) << 4) | parts.opcode;
  let header: Buffer;
  if (length < 126n) header = Buffer.from([first, (mask ? 0x80 : 0) | Number(length)]);
  else if (length < 65536n) {
    header = Buffer.alloc(4);
    header[0] = first;
    header[1] = (mask ? 0x80 : 0) | 126;
    header.writeUInt16BE(Number(length), 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = first;
    header[1] = (mask ? 0x80 : 0) | 127;
    header.writeBigUInt64BE(length, 2);
  }
  if (!mask) return Buffer.concat([header, payload]);
  const key = Buffer.from([0x12, 0x34, 0x56, 0x78]);
  const masked = Buffer.from(payload.map((byte, i) => byte ^ key[i % 4]!));
  return Buffer.concat([header, key, masked]);
}

/** A close frame's payload: the code, then the reason. */
export function closePayload(code: number, reason: Buffer | string = ''): Buffer {
  const head = Buffer.alloc(2);
  head.writeUInt16BE(code);
  return Buffer.concat([head, typeof reason === 'string' ? Buffer.from(reason) : reason]);
}

export type WsOutcome =
  /** The upgrade was refused with an HTTP answer. */
  | { kind: 'refused'; answer: RawAnswer }
  /** The socket was upgraded, the frames sent, and the server closed with `code` (null: no close frame, just a closed socket). */
  | { kind: 'closed'; code: number | null; reason: string }
  /** Upgraded, frames sent, and still open at the deadline. */
  | { kind: 'open' }
  | { kind: 'none'; why: string };

/**
 * Sends `handshake`; if the server upgrades, sends `frames` (each written separately) and
 * waits for the server to close, skipping the frames it streams meanwhile.
 */
export function wsExchange(port: number, handshake: Buffer, frames: Buffer[], timeoutMs = 5000): Promise<WsOutcome> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = Buffer.alloc(0);
    let upgraded = false;
    let settled = false;
    const finish = (outcome: WsOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish(upgraded ? { kind: 'open' } : { kind: 'none', why: `no answer to the upgrade within ${timeoutMs} ms` }), timeoutMs);
    const readFrames = (ended: boolean): void => {
      for (;;) {
        const next = parseServerFrame(received);
        if (!next) break;
        received = received.subarray(next.size);
        if (next.opcode === 0x8) {
          const code = next.payload.length >= 2 ? next.payload.readUInt16BE(0) : null;
          finish({ kind: 'closed', code, reason: next.payload.subarray(2).toString('utf8') });
          return;
        }
      }
      if (ended) finish({ kind: 'closed', code: null, reason: 'the socket closed without a close frame' });
    };
    socket.on('connect', () => socket.write(handshake));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (upgraded) return readFrames(false);
      const parsed = parseAnswer(received, false);
      if (!parsed) return;
      if (parsed.status !== 101) return finish({ kind: 'refused', answer: parsed });
      upgraded = true;
      received = received.subarray(received.indexOf('\r\n\r\n') + 4);
      for (const f of frames) socket.write(f);
      readFrames(false);
    });
    const onGone = (why: string) => () => {
      if (upgraded) return readFrames(true);
      const parsed = parseAnswer(received, true);
      finish(parsed ? { kind: 'refused', answer: parsed } : { kind: 'none', why });
    };
    socket.on('end', onGone('the server closed the connection without an answer'));
    socket.on('error', (err: NodeJS.ErrnoException) => onGone(`socket error ${err.code ?? err.message}`)());
  });
}

function parseServerFrame(data: Buffer): { opcode: number; payload: Buffer; size: number } | null {
  if (data.length < 2) return null;
  const opcode = data[0]! & 0x0f;
  let length = data[1]! & 0x7f;
  let at = 2;
  if (length === 126) {
    if (data.length < 4) return null;
    length = data.readUInt16BE(2);
    at = 4;
  } else if (length === 127) {
    if (data.length < 10) return null;
    length = Number(data.readBigUInt64BE(2));
    at = 10;
  }
  if (data.length < at + length) return null;
  return { opcode, payload: data.subarray(at, at + length), size: at + length };
}
