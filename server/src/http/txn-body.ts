import { MAX_TXN_BYTES, Txn } from '@clusterlab/shared';
import { HttpError, zodMessage } from './json-http';
import { utf8Text } from './utf8';

const SHAPE = 'expected { "compare": [{ "key", "target": "version"|"value"|"exists", "op": "="|"!="|"<"|">", "value" }], "success": [ops], "failure": [ops] }';

/** A POST /txn body, checked whole before anything is applied: every problem is a 400 that names it. */
export function parseTxnBody(body: Uint8Array): Txn {
  if (body.length > MAX_TXN_BYTES) throw new HttpError(400, `the transaction is ${body.length} bytes of JSON, over the limit of ${MAX_TXN_BYTES} bytes`);
  let json: unknown;
  try {
    json = JSON.parse(utf8Text(body, 'the body'));
  } catch (err) {
    if (err instanceof HttpError) throw err;
    throw new HttpError(400, `the body is not valid JSON: ${(err as Error).message}; ${SHAPE}`);
  }
  const parsed = Txn.safeParse(json);
  if (!parsed.success) throw new HttpError(400, zodMessage(parsed.error, 'not a transaction: '));
  return parsed.data;
}
