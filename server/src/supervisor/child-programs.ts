import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** The registry and node programs, and the checker a workload's verdict is worked out in (a worker thread). */
export type ChildPrograms = { registry: string; node: string; checker: string };

/** The programs' sources: what a person runs by hand with `npx tsx`. */
export const SOURCE_PROGRAMS: ChildPrograms = {
  registry: fileURLToPath(new URL('../registry/main.ts', import.meta.url)),
  node: fileURLToPath(new URL('../node/main.ts', import.meta.url)),
  checker: fileURLToPath(new URL('./workload/check-worker.ts', import.meta.url)),
};

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SOURCE_DIRS = ['server/src', 'shared/src'].map((d) => path.join(ROOT, d));
const CACHE_DIR = path.join(ROOT, 'node_modules', '.cache', 'clusterlab-programs');

let built: Promise<ChildPrograms> | null = null;

/**
 * The registry and node programs bundled into one plain .mjs each. A bundled node starts in
 * about a third of the time the TypeScript loader needs, and every millisecond of start-up is
 * one a learner waits for the first leader or a restarted node. Bundles are cached on disk,
 * keyed by the sources they come from, so only the first start after a change pays for the
 * build. If bundling fails, the sources run through tsx as before.
 */
export function childPrograms(log: (line: string) => void): Promise<ChildPrograms> {
  built ??= bundle().catch((err: Error) => {
    log(`[supervisor] could not bundle the child programs (${err.message}); running them from source`);
    return SOURCE_PROGRAMS;
  });
  return built;
}

async function bundle(): Promise<ChildPrograms> {
  const dir = path.join(CACHE_DIR, sourcesKey());
  const programs = { registry: path.join(dir, 'registry.mjs'), node: path.join(dir, 'node.mjs'), checker: path.join(dir, 'checker.mjs') };
  if (Object.values(programs).every((file) => existsSync(file))) return programs;

  mkdirSync(CACHE_DIR, { recursive: true });
  // Build beside the cache and rename into place, so a concurrent supervisor never runs half a bundle.
  const staging = mkdtempSync(path.join(CACHE_DIR, 'staging-'));
  try {
    await build({
      entryPoints: SOURCE_PROGRAMS,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outdir: staging,
      outExtension: { '.js': '.mjs' },
      logLevel: 'error',
      // CommonJS dependencies (express) call require(); give the ESM bundle a real one.
      banner: { js: "import { createRequire as __clusterlabRequire } from 'node:module'; const require = __clusterlabRequire(import.meta.url);" },
    });
    try {
      renameSync(staging, dir);
    } catch {
      // Another supervisor got there first with the same sources: theirs will do.
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return programs;
}

/** Changes whenever any server or shared source file does (path, size and mtime of each). */
function sourcesKey(): string {
  const hash = createHash('sha1');
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
        const { size, mtimeMs } = statSync(full);
        hash.update(`${full}\0${size}\0${mtimeMs}\n`);
      }
    }
  };
  for (const dir of SOURCE_DIRS) walk(dir);
  return hash.digest('hex').slice(0, 16);
}
