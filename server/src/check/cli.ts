import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { History } from '@clusterlab/shared';
import { z } from 'zod';
import { findAnomalies } from './anomalies';
import { historyProblems } from './history-validation';
import { checkLinearizability, DEFAULT_MAX_STATES_PER_KEY } from './linearizability';

const USAGE = `Checks a recorded key/value history for linearizability and named anomalies.

Usage: npx tsx server/src/check/cli.ts [options] [history.json]
       ... | npx tsx server/src/check/cli.ts [options]

The input is a JSON array of operations (the History schema in shared/src/history.ts), or an
object { "history": [...], "finalStates": { "n1": { "key": "value" | null }, ... } } to also
judge lost writes and divergent replicas, which need the nodes' final states.

Options:
  --max-states-per-key N   work limit per key (default ${DEFAULT_MAX_STATES_PER_KEY})
  --json                   print the full result as JSON
  -h, --help               this text

Exit codes: 0 linearizable, 1 not linearizable, 2 bad input, 3 undecided (work limit reached).`;

export const EXIT = { linearizable: 0, notLinearizable: 1, badInput: 2, undecided: 3 } as const;

const WithFinalStates = z.object({
  history: History,
  finalStates: z.record(z.string(), z.record(z.string(), z.string().nullable())).optional(),
});

export interface CliOptions {
  maxStatesPerKey?: number;
  json?: boolean;
}

/**
 * The whole CLI minus the I/O: JSON text in, what to print and the exit code out.
 * Bad input never throws; it comes back as a readable message and exit code 2.
 */
export function checkHistoryText(text: string, options: CliOptions = {}): { exitCode: number; output: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { exitCode: EXIT.badInput, output: `Bad input: not JSON (${(error as Error).message}).` };
  }
  // Pick the schema by shape, so zod's complaint is about the right thing.
  const parsed = Array.isArray(json) ? History.safeParse(json) : WithFinalStates.safeParse(json);
  if (!parsed.success) {
    return { exitCode: EXIT.badInput, output: `Bad input: not a history.\n${describeIssues(parsed.error.issues)}` };
  }
  const { history, finalStates } = Array.isArray(parsed.data) ? { history: parsed.data, finalStates: undefined } : parsed.data;
  const problems = historyProblems(history);
  if (problems.length > 0) return { exitCode: EXIT.badInput, output: `Bad input:\n  ${problems.join('\n  ')}` };

  const result = checkLinearizability(history, { maxStatesPerKey: options.maxStatesPerKey });
  const anomalies = findAnomalies(history, finalStates);
  const exitCode =
    result.verdict === 'linearizable' ? EXIT.linearizable : result.verdict === 'not-linearizable' ? EXIT.notLinearizable : EXIT.undecided;

  if (options.json) return { exitCode, output: JSON.stringify({ ...result, anomalies }, null, 2) };
  const lines = [result.explanation];
  if (anomalies.sentences.length > 0) lines.push('', 'Named anomalies:', ...anomalies.sentences.map((s) => `  ${s}`));
  if (anomalies.notes.length > 0) lines.push('', ...anomalies.notes.map((n) => `Note: ${n}`));
  return { exitCode, output: lines.join('\n') };
}

const MAX_SHOWN_ISSUES = 10;

/** "  at [0].client: Invalid input: expected string, received undefined", the first few only. */
function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const lines = issues.slice(0, MAX_SHOWN_ISSUES).map((issue) => {
    const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
    return `  at ${path || 'the top'}: ${issue.message}`;
  });
  if (issues.length > MAX_SHOWN_ISSUES) lines.push(`  … and ${issues.length - MAX_SHOWN_ISSUES} more`);
  return lines.join('\n');
}

function main(argv: string[]): void {
  let values: { 'max-states-per-key'?: string; json?: boolean; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'max-states-per-key': { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    process.exit(EXIT.badInput);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const maxStates = values['max-states-per-key'] === undefined ? undefined : Number(values['max-states-per-key']);
  if (maxStates !== undefined && !(Number.isInteger(maxStates) && maxStates > 0)) {
    console.error('--max-states-per-key must be a positive integer');
    process.exit(EXIT.badInput);
  }
  const [path, ...extra] = positionals;
  if (extra.length > 0) {
    console.error(`expected at most one history file, got ${positionals.length}\n\n${USAGE}`);
    process.exit(EXIT.badInput);
  }

  let text: string;
  try {
    text = readFileSync(path ?? 0, 'utf8');
  } catch (error) {
    console.error(`Bad input: cannot read ${path ?? 'stdin'} (${(error as Error).message}).`);
    process.exit(EXIT.badInput);
  }
  const { exitCode, output } = checkHistoryText(text, { maxStatesPerKey: maxStates, json: values.json });
  (exitCode === EXIT.badInput ? console.error : console.log)(output);
  process.exitCode = exitCode;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main(process.argv.slice(2));
