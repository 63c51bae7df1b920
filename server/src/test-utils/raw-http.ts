import { request } from 'node:http';
import { WebSocket, type ClientOptions } from 'ws';

/**
 * Requests as a hostile page or a rebinding DNS name would make them: fetch() will not send
 * a Host of our choosing, node:http will. And a WebSocket attempt that reports how it ended —
 * opened (with its first frame) or refused (with the HTTP status and body) — never hanging.
 */

export type RawAnswer = { status: number; headers: Record<string, string | string[] | undefined>; body: string; json(): any };

export function rawRequest(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} in 10 s`)));
    req.on('error', reject);
    req.end(init.body);
  });
}

export type WsAttempt =
  | { opened: true; ws: WebSocket; firstFrame: unknown }
  | { opened: false; status: number; body: string; messagesBeforeRefusal: number };

export function tryWebSocket(url: string, options: ClientOptions = {}): Promise<WsAttempt> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { handshakeTimeout: 10_000, ...options });
    let messages = 0;
    ws.on('message', (data) => {
      messages += 1;
      if (messages === 1) resolve({ opened: true, ws, firstFrame: JSON.parse(String(data)) });
    });
    ws.once('unexpected-response', (_req, res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        resolve({ opened: false, status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), messagesBeforeRefusal: messages });
        ws.terminate();
      });
    });
    ws.once('error', reject);
  });
}
