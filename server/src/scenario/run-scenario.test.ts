import { describe, expect, it } from 'vitest';
import { Scenario } from '@clusterlab/shared';
import { SimScenarioHost } from '../sim/scenario-host';
import { runScenario } from './run-scenario';

/** The scenario runner's rules, played in the simulator (a real cluster's host obeys the same interface). */
const scenario = (steps: unknown[], more: object = {}) => Scenario.parse({ version: 1, id: 't', number: 1, title: 'T', summary: 'A test.', algorithm: 'bully', nodes: 3, steps, ...more });

describe('a scenario run', () => {
  it('waits for an event with the fields asked for, a remembered name standing for its node', async () => {
    const { steps } = await runScenario(
      scenario([
        { title: 'Kill the leader', say: '.', do: [{ remember: 'old', as: 'leader' }, { fault: { kind: 'kill', node: '$old' } }, { await: { event: 'fault.injected', data: { action: 'kill', target: '$old' } } }] },
      ]),
      new SimScenarioHost(1),
    );
    expect(steps.map((r) => r.state)).toEqual(['passed']);
  });

  it('fails a wait that never comes with what it waited for, and leaves later steps pending', async () => {
    const seen: string[] = [];
    const { steps: reports } = await runScenario(
      scenario([
        { title: 'Wrong target', say: '.', do: [{ remember: 'old', as: 'leader' }, { fault: { kind: 'kill', node: '$old' } }, { await: { event: 'fault.injected', data: { action: 'pause' } }, timeoutMs: 500 }] },
        { title: 'Later', say: '.', do: [{ sleep: 10 }] },
      ]),
      new SimScenarioHost(1),
      { onStep: (r) => seen.push(`${r.index} ${r.state}`) },
    );
    expect(reports.map((r) => r.state)).toEqual(['failed', 'pending']);
    expect(reports[0]!.detail).toMatch(/^waited 0.5 s for fault.injected with \{"action":"pause"\}, and it did not come: n1 \w+, n2 \w+, n3 down$/);
    expect(seen).toEqual(['0 running', '0 failed']);
  });

  it('says which fault has no name to heal', async () => {
    const host = new SimScenarioHost(1);
    const { steps } = await runScenario(scenario([{ title: 'Heal', say: '.', do: [{ await: { leader: true } }, { heal: 'nothing' }] }]), host);
    expect(steps[0]!.detail).toBe('there is no fault named nothing to heal');
  });

  it('asks before each step how many are done, and names the nodes a step was about', async () => {
    const asked: number[] = [];
    const { steps } = await runScenario(
      scenario([
        { title: 'A leader', say: '.', do: [{ await: { leader: true } }, { remember: 'old', as: 'leader' }] },
        { title: 'It leads', say: '.', do: [{ expect: { leader: '$old' } }] },
      ]),
      new SimScenarioHost(1),
      { beforeStep: async (done) => void asked.push(done) },
    );
    expect(asked).toEqual([0, 1]);
    expect(steps.map((s) => s.moment?.nodes)).toEqual([['n3'], ['n3']]);
  });

  it("records the lesson's reads and writes, and fails a checker expectation with what the checker says", async () => {
    const { steps, history, verdict } = await runScenario(
      scenario([
        { title: 'Write, read', say: '.', do: [{ await: { leader: true } }, { write: 'k', value: 'v' }, { read: 'k', name: 'r' }, { expect: { read: 'r', value: 'v' } }] },
        { title: 'Checked', say: '.', do: [{ expect: { checker: 'lost-write' } }] },
      ]),
      new SimScenarioHost(1),
    );
    expect(history.map((op) => `${op.kind} ${op.key}=${op.value} ${op.outcome}`)).toEqual(['write k=v ok', 'read k=v ok']);
    // Each op begins after the one before it ended: one client, one request at a time.
    expect(history[1]!.invokeMs).toBeGreaterThan(history[0]!.completeMs!);
    expect(steps[1]!.detail).toBe('expected the checker to find a lost acknowledged write, and it says: Linearizable (Linearizable: 3 operations on 1 key; every key\'s history fits one order consistent with real time.)');
    expect(verdict?.summary).toBe('Linearizable');
  });

  it('restarts a fresh cluster with settings changed, keeping the rest, and waits on its events', async () => {
    const host = new SimScenarioHost(1);
    const lesson = scenario(
      [{ title: 'Again', say: '.', do: [{ await: { leader: true } }, { write: 'k', value: 'v' }, { restart: { settings: { writeAck: 'all' } } }, { await: { event: 'leader.elected' } }, { read: 'k', name: 'after' }, { expect: { read: 'after', value: null } }] }],
      { settings: { electionTimeoutMinMs: 400, electionTimeoutMaxMs: 500 } },
    );
    const { steps: reports, history } = await runScenario(lesson, host);
    expect(reports.map((r) => r.detail)).toEqual([null]);
    // The checker judges the fresh cluster's reads and writes: the old one's write is not "lost".
    expect(history.map((op) => `${op.kind} ${op.key}=${op.value}`)).toEqual(['read k=null']);
    expect(host.simulation.options.settings).toMatchObject({ writeAck: 'all', electionTimeoutMinMs: 400, electionTimeoutMaxMs: 500 });
  });

  it('acts on the registry, and says so when the action cannot be done', async () => {
    const host = new SimScenarioHost(1);
    const { steps: reports } = await runScenario(
      scenario([
        { title: 'Kill it', say: '.', do: [{ await: { leader: true } }, { registry: 'kill' }, { await: { event: 'fault.injected', data: { action: 'kill', target: 'registry' } } }] },
        { title: 'Kill it again', say: '.', do: [{ registry: 'kill' }] },
      ]),
      host,
    );
    expect(reports.map((r) => r.state)).toEqual(['passed', 'failed']);
    expect(reports[1]!.detail).toBe('the step broke: cannot kill the registry: it is already stopped');
  });

  it('waits for every running node to follow the leader, when asked, and says so when they do not', async () => {
    const { steps: settled } = await runScenario(scenario([{ title: 'Settled', say: '.', do: [{ await: { leader: true, followedByAll: true } }, { expect: { leaders: 1 } }] }]), new SimScenarioHost(1));
    expect(settled.map((r) => r.detail)).toEqual([null]);
    // A node cut off from everyone follows nobody once it notices: the wait for all to follow cannot end.
    const cut = [{ await: { leader: true } }, { fault: { kind: 'partition', groups: [['n1'], ['*', 'registry']] } }, { sleep: 1000 }, { await: { leader: true, followedByAll: true }, timeoutMs: 500 }];
    const { steps: apart } = await runScenario(scenario([{ title: 'Apart', say: '.', do: cut }]), new SimScenarioHost(1));
    expect(apart[0]!.detail).toMatch(/^waited 0.5 s for a leader that every running node follows, and it did not come: n1 \w+/);
  });

  it('plays a workload of several clients, each write its own value, and waits for a node to apply it', async () => {
    const { steps, history } = await runScenario(
      scenario([
        { title: 'Load', say: '.', do: [{ await: { leader: true, followedByAll: true } }, { workload: { clients: 3, ops: 30, keys: 2, reads: 0.2 } }] },
        { title: 'Applied', say: '.', do: [{ await: { applied: 'n1', atLeast: 24 } }, { expect: { checker: 'linearizable' } }] },
      ]),
      new SimScenarioHost(1),
    );
    expect(steps.map((s) => s.detail)).toEqual([null, null]);
    expect(history).toHaveLength(30);
    expect(new Set(history.map((op) => op.client))).toEqual(new Set(['w1', 'w2', 'w3']));
    expect(history.filter((op) => op.kind === 'read')).toHaveLength(6);
    expect(new Set(history.map((op) => op.key))).toEqual(new Set(['w1', 'w2']));
    const written = history.filter((op) => op.kind === 'write').map((op) => op.value);
    expect(new Set(written).size).toBe(written.length);
    expect(steps[1]!.moment?.nodes).toEqual(['n1']);
  });

  it('makes a write conditional on the version a named read saw, refused once another write came between', async () => {
    const raft = (steps: unknown[]) => Scenario.parse({ version: 1, id: 't', number: 1, title: 'T', summary: 'A test.', algorithm: 'raft', nodes: 3, steps });
    const { steps, history } = await runScenario(
      raft([
        {
          title: 'Race',
          say: '.',
          do: [
            { await: { leader: true, followedByAll: true } },
            { read: 'c', name: 'a' },
            { read: 'c', name: 'b' },
            { write: 'c', value: '1', ifVersionOf: 'a', name: 'first' },
            { write: 'c', value: '1', ifVersionOf: 'b', name: 'second' },
            { expect: { write: 'first', acknowledged: true } },
            { expect: { write: 'second', acknowledged: true } },
          ],
        },
      ]),
      new SimScenarioHost(1),
    );
    expect(steps[0]!.detail).toMatch(/^expected the write second to be acknowledged, and it was not \(412: precondition failed/);
    // Recorded as compare-and-sets against what each read saw (absent), for the checker's model.
    expect(history.filter((op) => op.kind === 'cas').map((op) => `${op.value} if ${op.expected} ${op.outcome}`)).toEqual(['1 if null ok', '1 if null fail']);
  });
});

