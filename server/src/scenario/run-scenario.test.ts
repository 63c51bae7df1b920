import { describe, expect, it } from 'vitest';
import { Scenario } from '@clusterlab/shared';
import { SimScenarioHost } from '../sim/scenario-host';
import { runScenario } from './run-scenario';

/** The scenario runner's rules, played in the simulator (a real cluster's host obeys the same interface). */
const scenario = (steps: unknown[]) => Scenario.parse({ version: 1, id: 't', number: 1, title: 'T', summary: 'A test.', algorithm: 'bully', nodes: 3, steps });

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
});
