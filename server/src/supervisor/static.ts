import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';

/**
 * The dashboard: the built web app at `/`, with every other browser path answered by
 * index.html so client-side routes survive a reload. Before `npm run build:web` has run there
 * is nothing to serve, and `/` says so instead of a bare 404.
 */

export const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../../web/dist', import.meta.url));

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Clusterlab</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; line-height: 1.5">
<h1>Clusterlab</h1>
<p>The cluster is running, but the dashboard has not been built yet.
Run <code>npm run build:web</code> (or start with <code>npm start</code>, which builds it) and reload this page.</p>
<p>The API is live meanwhile: <a href="/api/cluster">/api/cluster</a>.</p>
</body></html>
`;

export function serveDashboard(app: Express, webDir: string): void {
  const index = path.join(webDir, 'index.html');
  app.use(express.static(webDir, { index: 'index.html', fallthrough: true, redirect: false }));
  app.use((req, res, next) => {
    const isPage = (req.method === 'GET' || req.method === 'HEAD') && !req.path.startsWith('/api/') && req.path !== '/api';
    if (!isPage) return next();
    // A missing file (say /assets/old-hash.js) is a 404, not the app's HTML under a .js name.
    if (path.extname(req.path) !== '') return next();
    // Checked on every request: the web app may be built while the supervisor runs.
    if (existsSync(index)) res.sendFile(index);
    else res.status(req.path === '/' ? 200 : 404).type('html').send(NOT_BUILT);
  });
}
