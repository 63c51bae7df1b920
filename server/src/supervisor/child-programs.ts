import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export type ChildPrograms = { registry: string; node: string };

/** The programs' sources: what a person runs by hand with `npx tsx`. */
export const SOURCE_PROGRAMS: ChildPrograms = {
  registry: fileURLToPath(new URL('../registry/main.ts', import.meta.url)),
  node: fileURLToPath(new URL('../node/main.ts', import.meta.url)),
};

let built: Promise<ChildPrograms> | null = null;

/**
 * The registry and node programs bundled into one plain .mjs each, built once per supervisor
 * process. A bundled node starts in about a third of the time the TypeScript loader needs,
 * and every millisecond of start-up is a millisecond a learner waits for the first leader or
 * a restarted node. If bundling fails, the sources run through tsx as before.
 */
export function childPrograms(log: (line: string) => void): Promise<ChildPrograms> {
  built ??= bundle().catch((err: Error) => {
    log(`[supervisor] could not bundle the child programs (${err.message}); running them from source`);
    return SOURCE_PROGRAMS;
  });
  return built;
}

async function bundle(): Promise<ChildPrograms> {
  const outdir = mkdtempSync(path.join(os.tmpdir(), 'clusterlab-programs-'));
  process.once('exit', () => rmSync(outdir, { recursive: true, force: true }));
  await build({
    entryPoints: SOURCE_PROGRAMS,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outdir,
    outExtension: { '.js': '.mjs' },
    logLevel: 'error',
    // CommonJS dependencies (express) call require(); give the ESM bundle a real one.
    banner: { js: "import { createRequire as __clusterlabRequire } from 'node:module'; const require = __clusterlabRequire(import.meta.url);" },
  });
  return { registry: path.join(outdir, 'registry.mjs'), node: path.join(outdir, 'node.mjs') };
}
