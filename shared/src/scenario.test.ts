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

  it('checks a fault with each name standing for a node of its own', () => {
    const remembered = [{ remember: 'a', as: 'leader' }, { remember: 'b', as: 'follower' }];
    expect(parseScenario(withSteps([...remembered, { fault: { kind: 'cut', from: '$a', to: '$b' } }]), 'l.json').steps).toHaveLength(1);
    expect(() => parseScenario(withSteps([...remembered, { fault: { kind: 'cut', from: '$a', to: '$a' } }]), 'l.json')).toThrow(/steps\.0\.do\.2\.fault: from and to must be two different parties/);
  });

  it('restarts with settings the schema knows, checked together as they will be in force', () => {
    expect(parseScenario(withSteps([{ restart: { settings: { writeAck: 'all' } } }]), 'l.json').steps[0]!.do).toEqual([{ restart: { settings: { writeAck: 'all' } } }]);
    expect(() => parseScenario(withSteps([{ restart: { settings: { writeAck: 'some' } } }]), 'l.json')).toThrow(/^l\.json: steps\.0\.do\.0\.restart\.settings\.writeAck: /);
    expect(() => parseScenario(withSteps([{ restart: { settings: { algorithm: 'raft' } } }]), 'l.json')).toThrow(/steps\.0\.do\.0\.restart\.settings: .*algorithm/);
    expect(() => parseScenario(withSteps([{ restart: { writeAck: 'all' } }]), 'l.json')).toThrow(/steps\.0\.do\.0\.restart/);
    // Each change holds alone; together with the one before, the minimum passes the maximum.
    const apart = withSteps([{ restart: { settings: { electionTimeoutMaxMs: 500 } } }, { restart: { settings: { electionTimeoutMinMs: 600 } } }]);
    expect(() => parseScenario(apart, 'l.json')).toThrow(/^l\.json: steps\.0\.do\.1\.restart\.settings: electionTimeoutMinMs must not exceed electionTimeoutMaxMs/);
  });

  it('forgets the names of the cluster a restart replaced', () => {
    const doing = [{ remember: 'old', as: 'leader' }, { restart: { settings: {} } }, { fault: { kind: 'kill', node: '$old' } }];
    expect(() => parseScenario(withSteps(doing), 'l.json')).toThrow(/steps\.0\.do\.2: \$old is used before a step remembers it/);
  });

  it('does to the registry what its buttons do, and names them when asked for another', () => {
    expect(parseScenario(withSteps([{ registry: 'kill' }, { registry: 'restart' }]), 'l.json').steps[0]!.do).toHaveLength(2);
    expect(() => parseScenario(withSteps([{ registry: 'explode' }]), 'l.json')).toThrow(/^l\.json: steps\.0\.do\.0\.registry: the registry's actions are kill, stop, pause, resume, restart/);
  });

  it('takes a workload with defaults filled in, and says what is wrong with one out of bounds', () => {
    expect(parseScenario(withSteps([{ workload: { ops: 40 } }]), 'l.json').steps[0]!.do).toEqual([{ workload: { ops: 40, clients: 3, keys: 3, prefix: 'w', reads: 0 } }]);
    expect(() => parseScenario(withSteps([{ workload: { ops: 0 } }]), 'l.json')).toThrow(/^l\.json: steps\.0\.do\.0\.workload\.ops: /);
    expect(() => parseScenario(withSteps([{ workload: { ops: 5, reads: 2 } }]), 'l.json')).toThrow(/steps\.0\.do\.0\.workload\.reads/);
  });

  it('waits for a node to apply up to an index, and expects the checker to say one of three things', () => {
    expect(parseScenario(withSteps([{ await: { applied: 'n2', atLeast: 40 } }]), 'l.json').steps).toHaveLength(1);
    expect(() => parseScenario(withSteps([{ await: { applied: 'n2', atLeast: 0 } }]), 'l.json')).toThrow(/steps\.0\.do\.0\.await\.atLeast/);
    expect(() => parseScenario(withSteps([{ expect: { checker: 'fine' } }]), 'l.json')).toThrow(/steps\.0\.do\.0\.expect\.checker/);
  });

  it('takes a write conditional on a named read', () => {
    expect(parseScenario(withSteps([{ read: 'c', name: 'a' }, { write: 'c', value: '1', ifVersionOf: 'a' }]), 'l.json').steps[0]!.do).toHaveLength(2);
    expect(() => parseScenario(withSteps([{ write: 'c', value: '1', ifVersionOf: 'Not A Name' }]), 'l.json')).toThrow(/steps\.0\.do\.0\.ifVersionOf/);
  });
});

