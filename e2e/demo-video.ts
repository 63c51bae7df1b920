import { accessSync, constants, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Video for `npm run demo`. Playwright records with its own ffmpeg build, which — like its
 * browsers — it cannot download on our machines. A system ffmpeg with the VP8 encoder
 * (Debian's `ffmpeg` package; or FFMPEG_PATH) does the same job: we show it to Playwright
 * where Playwright looks, in a browsers directory of our own used for this run only (the
 * browser itself is the system Chromium, given by path, so nothing else is looked up there).
 *
 * Returns whether videos can be recorded; when not, it says why and the demo still runs and
 * keeps its screenshots.
 */
export function prepareDemoVideo(): boolean {
  if (process.platform !== 'linux') return true; // Elsewhere Playwright's own download works.
  const require = createRequire(import.meta.url);
  const coreDir = path.dirname(require.resolve('playwright-core/package.json'));
  const browsers = JSON.parse(readFileSync(path.join(coreDir, 'browsers.json'), 'utf8')) as { browsers: { name: string; revision: string }[] };
  const revision = browsers.browsers.find((b) => b.name === 'ffmpeg')?.revision;
  if (!revision) return true; // This Playwright does not use a separate ffmpeg.

  const registry = process.env.PLAYWRIGHT_BROWSERS_PATH || path.join(homedir(), '.cache', 'ms-playwright');
  if (existsSync(path.join(registry, `ffmpeg-${revision}`, 'ffmpeg-linux'))) return true;

  const ffmpeg = process.env.FFMPEG_PATH || findOnPath('ffmpeg');
  if (!ffmpeg) {
    console.warn(
      'demo: no ffmpeg found, so no videos this time (screenshots are still saved).\n' +
        '      Install one (Debian: apt-get install ffmpeg) or set FFMPEG_PATH.',
    );
    return false;
  }
  const ours = path.join(tmpdir(), `clusterlab-playwright-ffmpeg-${revision}`);
  const link = path.join(ours, `ffmpeg-${revision}`, 'ffmpeg-linux');
  mkdirSync(path.dirname(link), { recursive: true });
  rmSync(link, { force: true });
  symlinkSync(ffmpeg, link);
  // Read by Playwright in the worker processes, which inherit this environment.
  process.env.PLAYWRIGHT_BROWSERS_PATH = ours;
  return true;
}

function findOnPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here; try the next directory.
    }
  }
  return null;
}
