import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * Where a process finds its cluster's secret. The supervisor makes one per cluster and hands
 * it to its children in their environment — never on the command line, where `ps` shows it
 * to every user of the machine. A registry or node started by hand reads it from the same
 * variable or from a file.
 */

export const SECRET_ENV = 'CLUSTERLAB_SECRET';

export function newClusterSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** The secret from `--secret-file` when given, else from the environment; a sentence if neither holds one. */
export function readClusterSecret(file: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new Error(`cannot read the cluster secret from ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    return checked(text.trim(), `the file ${file}`);
  }
  const fromEnv = env[SECRET_ENV];
  if (fromEnv === undefined || fromEnv === '') {
    throw new Error(`no cluster secret: set ${SECRET_ENV} (the supervisor does) or pass --secret-file <path>`);
  }
  return checked(fromEnv, SECRET_ENV);
}

function checked(secret: string, where: string): string {
  if (secret.length < 16) throw new Error(`the cluster secret in ${where} is too short (at least 16 characters)`);
  return secret;
}
