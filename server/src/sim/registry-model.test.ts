import { describe, expect, it } from 'vitest';
import { RegistryModel } from './registry-model';

/** The simulated registry's process, as the supervisor's buttons treat the real one. */
describe('the registry, in virtual time', () => {
  const model = () => {
    const r = new RegistryModel(1000, () => {});
    r.register('n1', 1, 0);
    return r;
  };

  it('answers nobody while paused, and keeps its table for when it wakes', () => {
    const r = model();
    r.act('pause', 1000);
    expect(r.register('n2', 1, 10)).toBeNull();
    r.act('resume', 1000);
    expect(r.register('n2', 1, 20)).toEqual(['n1', 'n2']);
  });

  it('loses its table when killed, and starts empty when restarted', () => {
    const r = model();
    r.act('kill', 1000);
    expect(r.register('n1', 1, 10)).toBeNull();
    r.act('restart', 1000);
    expect(r.live()).toEqual([]);
    expect(r.register('n2', 1, 20)).toEqual(['n2']);
  });

  it('refuses what makes no sense now, as the supervisor does', () => {
    const r = model();
    expect(() => r.act('resume', 1000)).toThrow('cannot resume the registry: it is not paused (it is running)');
    r.act('stop', 1000);
    expect(() => r.act('kill', 1000)).toThrow('cannot kill the registry: it is already stopped');
    expect(() => r.act('pause', 1000)).toThrow('cannot pause the registry: it is stopped');
  });
});
