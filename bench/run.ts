import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchCatchUp } from './catch-up';
import { benchChecker } from './checker';
import { benchFailover } from './failover';
import { benchFirstLeader } from './first-leader';
import { fmtMs, fmtSummary } from './lib/stats';
import { benchThroughput } from './throughput';

/**
 * `npm run bench`: figures for a 3-node cluster with default settings, printed and written
 * as JSON under bench/results/. Nothing here passes or fails; it measures.
 * `npm run bench -- --quick` shortens every run for a smoke test.
 */
const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
const quick = values.quick;
const say = (line: string) => process.stdout.write(`${line}\n`);
const startedAt = new Date();

say(`Clusterlab benchmark — ${startedAt.toISOString()}${quick ? ' (quick)' : ''}`);
say('3 nodes, default settings: heartbeat 50 ms, election timeout 200–300 ms, write-ack majority\n');

const firstLeader = await benchFirstLeader(quick ? 2 : 5);
say(`First leader after start:   ${fmtSummary(firstLeader.fromStartMs)}`);
say(`  (first spawn → elected):  ${fmtSummary(firstLeader.fromSpawnMs)}`);

const failover = await benchFailover(quick ? 3 : 10);
say(`Failover (SIGKILL leader → first acknowledged write via a survivor):`);
say(`                            ${fmtSummary(failover.failoverMs)}`);
say(`  trials: ${failover.trialsMs.map((t) => fmtMs(t)).join(', ')}`);

const durationS = quick ? 3 : 10;
const throughput = await benchThroughput([1, 16, 64], durationS);
say(`\nWrites to the leader (${durationS} s each):`);
say('  clients   writes/s   p50      p99      non-2xx  errors  leader changes  events/s');
for (const r of throughput) {
  say(
    `  ${String(r.connections).padStart(7)}  ${r.writesPerSec.toFixed(0).padStart(9)}  ${`${r.p50Ms} ms`.padEnd(7)}  ${`${r.p99Ms} ms`.padEnd(7)}  ${String(r.non2xx).padStart(7)}  ${String(r.errors).padStart(6)}  ${String(r.leaderChanges).padStart(14)}  ${r.eventsPerSec.toFixed(0).padStart(8)}`,
  );
}

const stabilityS = quick ? 5 : 60;
const [stability] = await benchThroughput([16], stabilityS);
say(`\nHealthy cluster under write load for ${stabilityS} s (16 clients): ${stability!.leaderChanges} leader changes, ${stability!.writesPerSec.toFixed(0)} writes/s, p99 ${stability!.p99Ms} ms`);

const catchUp = await benchCatchUp(quick ? 2000 : 10_000, quick ? 1 : 3);
say(`\nCatch-up of a node added to a cluster holding ${catchUp.keys} keys:`);
say(`  from POST /api/nodes:     ${fmtSummary(catchUp.catchUpMs)}`);
say(`  from the node's ready:    ${fmtSummary(catchUp.fromReadyMs)}`);

const checker = benchChecker(quick ? 5 : 15);
say(`\nLinearizability checker, ${checker.ops} ops over ${checker.keys} keys from ${checker.clients} clients (median of ${checker.runs}):`);
say(`  linearizable history ${checker.linearizableMedianMs.toFixed(1)} ms · with one stale read, explained ${checker.withStaleReadMedianMs.toFixed(1)} ms · named anomalies ${checker.anomaliesMedianMs.toFixed(1)} ms`);

const results = { startedAt: startedAt.toISOString(), quick, firstLeader, failover, throughput, stability, catchUp, checker };
const dir = join(import.meta.dirname, 'results');
mkdirSync(dir, { recursive: true });
const file = join(dir, `bench-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
say(`\nWrote ${file}`);
