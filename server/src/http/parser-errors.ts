import { STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * What Node's HTTP layer refuses before any handler sees it — a malformed request line,
 * headers past the limit (431), a body that breaks the framing, an Expect it cannot meet, a
 * CONNECT, no Host, a request target that is not a URL — gets the same answer as every other
 * error here: a JSON body saying what was wrong, then the connection closes.
 *
 * Call it once the server's request listener is attached: it wraps that listener.
 */
export function answerParserErrorsAsJson(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    const inFlight = (socket as { _httpMessage?: ServerResponse | null })._httpMessage;
    if (!socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
    const status = tooLarge ? 431 : 400;
    const message = tooLarge ? 'the request headers are too large' : `malformed HTTP request (${err.code ?? err.message})`;
    if (inFlight?.req.complete) {
      // What broke is a request pipelined behind the one being answered: that one still gets
      // its answer, and the connection ends after it.
      inFlight.shouldKeepAlive = false;
      return;
    }
    if (inFlight) {
      // The headers were fine and a handler has the request; its body broke the framing (a
      // bad chunk, say). Answer through its response, so that the handler's own answer, if
      // one ever comes, finds the headers sent and does nothing.
      inFlight.writeHead(status, { ...JSON_HEADERS, connection: 'close' }).end(JSON.stringify({ error: message }));
      return;
    }
    socket.end(rawJsonResponse(status, message));
  });

  // Without a listener Node answers an Expect other than 100-continue with a bare 417.
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
    sendJson(res, 417, `cannot meet "Expect: ${String(req.headers.expect)}"; only 100-continue is supported`);
  });

  // Without a listener Node closes the connection of a CONNECT without a word.
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
    socket.on('error', () => socket.destroy());
    socket.once('finish', () => socket.destroy());
    socket.end(rawJsonResponse(405, 'CONNECT is not allowed: this is not a proxy', { allow: 'GET, HEAD, POST, PUT, DELETE' }));
  });

  // Node's own refusal of a request without Host is an empty 400; this one says why. And a
  // request target that does not parse as a URL would reach handlers that cannot route it.
  (server as Server & { requireHostHeader: boolean }).requireHostHeader = false;
  for (const listener of server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[]) {
    server.off('request', listener);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (req.headers.host === undefined && req.httpVersion === '1.1') {
        res.shouldKeepAlive = false;
        sendJson(res, 400, 'an HTTP/1.1 request needs a Host header');
        return;
      }
      if (!URL.canParse(req.url ?? '/', 'http://localhost')) {
        res.shouldKeepAlive = false;
        sendJson(res, 400, `the request target ${JSON.stringify((req.url ?? '').slice(0, 200))} is not a valid URL`);
        return;
      }
      listener(req, res);
    });
  }
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

function sendJson(res: ServerResponse, status: number, message: string): void {
  const body = JSON.stringify({ error: message });
  res.writeHead(status, { ...JSON_HEADERS, 'content-length': Buffer.byteLength(body) }).end(body);
}

/** A whole HTTP answer with a JSON `{ error }`, for a socket no ServerResponse speaks for. */
export function rawJsonResponse(status: number, message: string, headers: Record<string, string> = {}): string {
  const body = JSON.stringify({ error: message });
  const lines = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
    'content-type: application/json; charset=utf-8',
    `content-length: ${Buffer.byteLength(body)}`,
    'connection: close',
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}
