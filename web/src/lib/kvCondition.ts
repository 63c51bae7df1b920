/*
 * The key form's "Only if version is" field: what it asks as typed, the headers a write sends
 * for it, and the hint beside it. A key's version is the log index that last wrote it (its
 * ETag); 0 means the key does not exist, so "only if version 0" is "only if absent".
 */

export type KvWriteOp = 'put' | 'delete';

/** The field as typed: empty (unconditional), a version, or something that is not one. */
export type VersionField = { kind: 'none' } | { kind: 'version'; version: number } | { kind: 'invalid'; problem: string };

/** The server takes a version of at most 15 digits in If-Match (server/src/node/runtime/conditional-write.ts). */
const VERSION = /^\d{1,15}$/;

export function parseVersionField(text: string): VersionField {
  const t = text.trim();
  if (t === '') return { kind: 'none' };
  if (!VERSION.test(t)) return { kind: 'invalid', problem: 'a whole number of 0 or more, as a read shows it' };
  return { kind: 'version', version: Number(t) };
}

/**
 * The headers of a write conditional on `version`, or null when the write makes no sense.
 * 0 is "the key is absent": a Write creates it only then (If-None-Match: *, HTTP's "create
 * only"). A Delete only if absent would delete nothing whatever happened, so none is sent.
 */
export function preconditionHeaders(op: KvWriteOp, version: number): Record<string, string> | null {
  if (version === 0) return op === 'put' ? { 'If-None-Match': '*' } : null;
  return { 'If-Match': `"${version}"` };
}

/** Whether a button can send its request with the field as it is. */
export function allows(op: KvWriteOp | 'get', field: VersionField): boolean {
  if (op === 'get') return true;
  if (field.kind === 'invalid') return false;
  return field.kind === 'none' || preconditionHeaders(op, field.version) !== null;
}

/** One short line under the field: what Write and Delete will do with it. */
export function versionHint(field: VersionField): string {
  switch (field.kind) {
    case 'none':
      return 'Empty: always. 0: only if absent.';
    case 'invalid':
      return `Not a version: ${field.problem}.`;
    case 'version':
      return field.version === 0
        ? 'Write only if the key is absent (Delete needs a version).'
        : `Write or Delete only if the key is still at version ${field.version}.`;
  }
}
