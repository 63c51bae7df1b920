import { describe, expect, it } from 'vitest';
import { parseScenario } from './scenario';

const base = { version: 1, id: 'x', number: 1, title: 'X', summary: 'A lesson.', algorithm: 'bully', nodes: 3 };
const withSteps = (doing: unknown[]) => JSON.stringify({ ...base, steps: [{ title: 'Step', say: 'Says.', do: doing }] });

describe('a scenario file', () => {
  it('is refused loudly, naming the file and where in it', () => {
    expect(() => parseScenario('{', 'lessons/a.json')).toThrow(/^lessons\/a\.json: not JSON/);
    expect(() => parseScenario(JSON.stringify({ ...base, version: 2, steps: [] }), 'lessons/a.json')).toThrow(/^lessons\/a\.json: version:/);
    expect(() => parseScenario(withSteps([{ jump: true }]), 'l.json')).toThrow(/^l\.json: steps\.0\.do\.0: an action is one of: { "remember": … }/);
    expect(() => parseScenario(withSteps([{ fault: { kind: 'kill', node: 'n1' }, name: 'Bad Name' }]), 'l.json')).toThrow(/steps\.0\.do\.0/);
    expect(() => parseScenario(withSteps([{ fault: { kind: 'explode', node: 'n1' } }]), 'l.json')).toThrow(/steps\.0\.do\.0\.fault/);
    expect(() => parseScenario(withSteps([{ await: { leader: true }, timeoutMs: 10 ** 9 }]), 'l.json')).toThrow(/steps\.0\.do\.0/);
    expect(() => parseScenario(JSON.stringify({ ...base, settings: { heartbeatIntervalMs: 'fast' }, steps: [{ title: 'S', say: 'S.', do: [{ sleep: 10 }] }] }), 'l.json')).toThrow(/settings\.heartbeatIntervalMs/);
  });

  it('may only use a name a step remembered before', () => {
    expect(() => parseScenario(withSteps([{ fault: { kind: 'kill', node: '$old' } }]), 'l.json')).toThrow(/\$old is used before a step remembers it/);
    expect(parseScenario(withSteps([{ remember: 'old', as: 'leader' }, { fault: { kind: 'partition', groups: [['$old'], ['*', 'registry']] } }]), 'l.json').steps).toHaveLength(1);
  });
});
