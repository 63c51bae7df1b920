import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { History } from '@clusterlab/shared';
import { z } from 'zod';
import { findAnomalies } from './anomalies';
import { withFinalReads } from './final-reads';
import { historyProblems } from './history-validation';
import { checkLinearizability, DEFAULT_MAX_STATES_PER_KEY, type KeyVerdict, type LinearizabilityResult } from './linearizability';

const USAGE = `Checks recorded key/value histories for linearizability and named anomalies.

Usage: npm run check -- [options] history.json [more.json ...]
       ... | npm run check -- [options]          (one history on stdin; also "-" as a file)

Each file holds a JSON array of operations (the History schema in shared/src/history.ts), or
an object { "history": [...], "finalStates": { "n1": { "key": "value" | null }, ... } } to also
judge lost writes and divergent replicas, which need the nodes' final states. Other top-level
fields (a dashboard export's "spec" and "faults") are ignored.

Options:
  --max-states-per-key N   work limit per key for the search (default ${DEFAULT_MAX_STATES_PER_KEY})
  --json                   per file, per key: the verdict and the milliseconds its check took
  -h, --help               this text

Exit codes: 0 every file linearizable, 1 one is not, 2 bad input (any file: it says which and
why; this wins over the others), 3 one is undecided (work limit reached) and none is not.`;

export const EXIT = { linearizable: 0, notLinearizable: 1, badInput: 2, undecided: 3 } as const;

const WithFinalStates = z.object({
  history: History,
  finalStates: z.record(z.string(), z.record(z.string(), z.string().nullable())).optional(),
});

export interface CliOptions {
  maxStatesPerKey?: number;
  json?: boolean;
}

export type FileVerdict = LinearizabilityResult['verdict'] | 'bad-input';

/** One file's check: what --json says about it, and the text report (without the file name). */
export interface FileCheck {
  readonly exitCode: number;
  readonly verdict: FileVerdict;
  readonly keys: { key: string; verdict: KeyVerdict['verdict']; ms: number }[];
  /** The explanation and named anomalies, or for bad input what is wrong. */
  readonly output: string;
}

/**
 * One history's check minus the I/O: JSON text in, verdict and report out.
 * Bad input never throws; it comes back as a readable message and exit code 2.
 */
export function checkHistoryText(text: string, options: CliOptions = {}): FileCheck {
  const bad = (output: string): FileCheck => ({ exitCode: EXIT.badInput, verdict: 'bad-input', keys: [], output });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return bad(`Bad input: not JSON (${(error as Error).message}).`);
  }
  // Pick the schema by shape, so zod's complaint is about the right thing.
  const parsed = Array.isArray(json) ? History.safeParse(json) : WithFinalStates.safeParse(json);
  if (!parsed.success) return bad(`Bad input: not a history.\n${describeIssues(parsed.error.issues)}`);
  const { history, finalStates } = Array.isArray(parsed.data) ? { history: parsed.data, finalStates: undefined } : parsed.data;
  const problems = historyProblems(history);
  if (problems.length > 0) return bad(`Bad input:\n  ${problems.join('\n  ')}`);

  // As the supervisor judges a workload: with final states, what the nodes held afterwards is read last.
  const result = checkLinearizability(withFinalReads(history, finalStates), { maxStatesPerKey: options.maxStatesPerKey });
  const anomalies = findAnomalies(history, finalStates);
  const lines = [result.explanation];
  if (anomalies.sentences.length > 0) lines.push('', 'Named anomalies:', ...anomalies.sentences.map((s) => `  ${s}`));
  if (anomalies.notes.length > 0) lines.push('', ...anomalies.notes.map((n) => `Note: ${n}`));
  return {
    exitCode: EXIT_FOR[result.verdict],
    verdict: result.verdict,
    keys: result.keys.map((k) => ({ key: k.key, verdict: k.verdict, ms: roundMs(k.ms) })),
    output: lines.join('\n'),
  };
}

const EXIT_FOR = { linearizable: EXIT.linearizable, 'not-linearizable': EXIT.notLinearizable, unknown: EXIT.undecided } as const;

/** Enough digits to tell a fast key from a slow one, not so many the JSON is noise. */
const roundMs = (ms: number) => Math.round(ms * 1000) / 1000;

/** A file to check: its text, or why it could not be read. */
export type CliInput = { readonly file: string } & ({ readonly text: string } | { readonly readError: string });

/**
 * The whole CLI minus the I/O: files in, what to print and the exit code out. Bad input wins
 * the exit code (the run checked less than was asked), then a violation, then undecided.
 */
export function runCheck(inputs: readonly CliInput[], options: CliOptions = {}): { exitCode: number; stdout: string; stderr: string } {
  const checks = inputs.map((input) => ({
    file: input.file,
    check: 'text' in input ? checkHistoryText(input.text, options) : checkHistoryTextUnreadable(input.readError),
  }));
  const codes = new Set(checks.map((c) => c.check.exitCode));
  const exitCode = [EXIT.badInput, EXIT.notLinearizable, EXIT.undecided].find((code) => codes.has(code)) ?? EXIT.linearizable;
  const stderr = checks.filter((c) => c.check.verdict === 'bad-input').map((c) => `${c.file}: ${c.check.output}`);
  let stdout: string;
  if (options.json) {
    const report = checks.map(({ file, check }) =>
      check.verdict === 'bad-input' ? { file, verdict: check.verdict, error: check.output } : { file, verdict: check.verdict, keys: check.keys },
    );
    stdout = JSON.stringify(report, null, 2);
  } else {
    stdout = checks
      .filter((c) => c.check.verdict !== 'bad-input')
      .map(({ file, check }) => {
        const [first, ...rest] = check.output.split('\n');
        return [`${file}: ${first}`, ...rest.map((line) => (line ? `  ${line}` : line))].join('\n');
      })
      .join('\n\n');
  }
  return { exitCode, stdout, stderr: stderr.join('\n') };
}

function checkHistoryTextUnreadable(readError: string): FileCheck {
  return { exitCode: EXIT.badInput, verdict: 'bad-input', keys: [], output: `Bad input: cannot read it (${readError}).` };
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
  const files = positionals.length > 0 ? positionals : ['-'];
  if (files.filter((f) => f === '-').length > 1) {
    console.error(`stdin ("-") can be given once\n\n${USAGE}`);
    process.exit(EXIT.badInput);
  }
  const inputs = files.map((file): CliInput => {
    const name = file === '-' ? 'stdin' : file;
    try {
      return { file: name, text: readFileSync(file === '-' ? 0 : file, 'utf8') };
    } catch (error) {
      return { file: name, readError: (error as Error).message };
    }
  });
  const { exitCode, stdout, stderr } = runCheck(inputs, { maxStatesPerKey: maxStates, json: values.json });
  if (stdout) console.log(stdout);
  if (stderr) console.error(stderr);
  process.exitCode = exitCode;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main(process.argv.slice(2));
