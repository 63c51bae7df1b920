import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '@clusterlab/shared';
import { parseSupervisorArgs, supervisorUsage } from './args';

describe('the supervisor command line', () => {
  it('defaults to port 4000 on loopback with 3 nodes and the default settings', () => {
    expect(parseSupervisorArgs([], {})).toEqual({
      help: false,
      verbose: false,
      port: 4000,
      host: '127.0.0.1',
      token: undefined,
      nodes: 3,
      dataDir: undefined,
      record: true,
      settings: DEFAULT_SETTINGS,
    });
  });

  it('records runs unless told --no-record', () => {
    expect(parseSupervisorArgs(['--no-record'], {}).record).toBe(false);
  });

  it('takes the port from PORT, and --port over PORT', () => {
    expect(parseSupervisorArgs([], { PORT: '5000' }).port).toBe(5000);
    expect(parseSupervisorArgs(['--port', '0'], { PORT: '5000' }).port).toBe(0);
  });

  it('reads nodes, data dir and every settings flag', () => {
    const args = parseSupervisorArgs(['--nodes', '5', '--data-dir', '/tmp/x', '--heartbeat-interval-ms', '20', '--write-ack', 'all'], {});
    expect(args).toMatchObject({ nodes: 5, dataDir: '/tmp/x', settings: { ...DEFAULT_SETTINGS, heartbeatIntervalMs: 20, writeAck: 'all' } });
  });

  it('chooses the algorithm, its own switches and the durability', () => {
    const args = parseSupervisorArgs(['--algorithm', 'raft', '--pre-vote', 'false', '--fsync', 'always'], {});
    expect(args.settings).toMatchObject({ algorithm: 'raft', preVote: false, checkQuorum: true, fsync: 'always' });
  });

  it.each([
    [['--algorithm', 'paxos'], /--algorithm/],
    [['--fsync', 'sometimes'], /--fsync/],
    [['--pre-vote', 'maybe'], /--pre-vote/],
    [['--nodes', '0'], /--nodes: expected 1\.\.25/],
    [['--nodes', '26'], /--nodes: expected 1\.\.25/],
    [['--nodes', 'three'], /--nodes: expected a whole number/],
    [['--port', '70000'], /--port: expected 0\.\.65535/],
    [['--port', '-1'], /--port/],
    [['--write-ack', 'some'], /--write-ack/],
    [['--election-timeout-min-ms', '500', '--election-timeout-max-ms', '400'], /electionTimeoutMinMs must not exceed/],
    [['--frobnicate'], /frobnicate/],
  ])('rejects %j with a message naming the problem', (argv, message) => {
    expect(() => parseSupervisorArgs(argv, {})).toThrow(message);
  });

  it('takes a token from --token or CLUSTERLAB_TOKEN, --token first, and refuses one unsafe in a URL or too short to guess', () => {
    expect(parseSupervisorArgs([], { CLUSTERLAB_TOKEN: 'from-the-environment' }).token).toBe('from-the-environment');
    expect(parseSupervisorArgs(['--token', 'from-the-command-line'], { CLUSTERLAB_TOKEN: 'from-the-environment' }).token).toBe('from-the-command-line');
    expect(() => parseSupervisorArgs(['--token', 'short'], {})).toThrow(/--token: expected 16 to 256 characters/);
    expect(() => parseSupervisorArgs([], { CLUSTERLAB_TOKEN: 'has spaces and & in it' })).toThrow(/CLUSTERLAB_TOKEN/);
  });

  it('says in --help that binding beyond loopback needs a token', () => {
    expect(supervisorUsage()).toMatch(/anything but loopback[\s\S]*token/);
  });

  it('rejects a bad PORT from the environment, naming PORT', () => {
    expect(() => parseSupervisorArgs([], { PORT: 'http' })).toThrow(/PORT/);
  });

  it('documents every flag it accepts', () => {
    const usage = supervisorUsage();
    for (const flag of ['--port', '--host', '--token', '--nodes', '--data-dir', '--help', '--heartbeat-interval-ms', '--registry-ttl-ms', '--algorithm bully|raft', '--fsync always|batch|never']) {
      expect(usage).toContain(flag);
    }
  });
});
