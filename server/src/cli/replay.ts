import { readFileSync } from 'node:fs';
import { REPLAY_EXIT, replayTraceText } from './replay-report';

/**
 * npm run replay -- FILE.ndjson
 *
 * Re-runs every core recorded in a trace (from `npm run sim -- --trace`, or GET
 * /api/runs/:id/trace) and checks each step against the recording. Exit 0: all match; 1: a
 * step differs (a bug: the core read something that is not its input); 2: not a trace.
 */
const files = process.argv.slice(2).filter((a) => a !== '--');
if (files.length !== 1 || files[0] === '--help') {
  process.stdout.write('Usage: npm run replay -- FILE.ndjson   (a trace from `npm run sim -- --trace` or GET /api/runs/:id/trace)\n');
  process.exit(files[0] === '--help' ? 0 : REPLAY_EXIT.badInput);
}
let text: string;
try {
  text = readFileSync(files[0]!, 'utf8');
} catch (err) {
  process.stderr.write(`cannot read ${files[0]}: ${(err as Error).message}\n`);
  process.exit(REPLAY_EXIT.badInput);
}
const { exitCode, output } = replayTraceText(text);
(exitCode === REPLAY_EXIT.badInput ? process.stderr : process.stdout).write(`${output}\n`);
process.exit(exitCode);
