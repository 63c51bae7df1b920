import { HttpError } from './json-http';

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Bytes a client sent as text, decoded strictly: bytes that are not UTF-8 would otherwise
 * become replacement characters and be stored mangled, so they are a 400 naming `what`.
 */
export function utf8Text(bytes: Uint8Array, what: string): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new HttpError(400, `${what} is not valid UTF-8 text`);
  }
}
