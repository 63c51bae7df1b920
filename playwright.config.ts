import { defineConfig } from '@playwright/test';
import { prepareDemoVideo } from './e2e/demo-video';

// The stories a learner lives through, in a real Chromium against a real cluster.
// `npm run demo` (DEMO=1) keeps a video and screenshots of every story under demo-output/.
const demo = process.env.DEMO === '1';
// Playwright's own ffmpeg cannot be downloaded here; a system one is used if there is one.
const video = demo && prepareDemoVideo();

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  // Each story starts its own cluster of real processes; two cores cannot run several at once.
  workers: 1,
  fullyParallel: false,
  forbidOnly: true,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  outputDir: demo ? 'demo-output' : 'test-results',
  use: {
    viewport: { width: 1280, height: 800 },
    video: video ? 'on' : 'off',
    screenshot: demo ? 'on' : 'only-on-failure',
    trace: 'off',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
});
