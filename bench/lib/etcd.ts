import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onExit, stopChild, track } from './children';
import { poll } from './stats';

export const ETCD_BIN = '/usr/bin/etcd';

export function etcdInstalled(): boolean {
  return existsSync(ETCD_BIN);
}

type Member = { name: string; clientUrl: string; peerUrl: string; child: ChildProcess; log: () => string };

/** etcd's JSON gateway spells uint64s as strings. */
type StatusReply = { header?: { member_id?: string; raft_term?: string; revision?: string }; leader?: string; raftTerm?: string };

/**
 * A 3-member etcd cluster on loopback, for comparison: free ports, one temp data dir removed
 * on stop, etcd's own defaults otherwise (heartbeat 100 ms, election 1000 ms, an fsync per
 * batch of raft entries before it is acknowledged).
 */
export class EtcdCluster {
  private stopped = false;

  private constructor(
    readonly members: Member[],
    private readonly dataDir: string,
    private readonly forgetCleanup: () => void,
  ) {}

  static async start(size = 3): Promise<EtcdCluster> {
    const ports = await freePorts(2 * size);
    const dataDir = mkdtempSync(join(tmpdir(), 'clusterlab-bench-etcd-'));
    const names = Array.from({ length: size }, (_, i) => `m${i + 1}`);
    const peerUrl = (i: number) => `http://127.0.0.1:${ports[2 * i + 1]}`;
    const clientUrl = (i: number) => `http://127.0.0.1:${ports[2 * i]}`;
    const initialCluster = names.map((n, i) => `${n}=${peerUrl(i)}`).join(',');
    const token = `clusterlab-bench-${process.pid}-${Date.now()}`;
    // Only our flags: no ETCD_* variable from the environment may change the setup.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ETCD_')));
    const members: Member[] = [];
    const forget = onExit(() => rmSync(dataDir, { recursive: true, force: true }));
    const cluster = new EtcdCluster(members, dataDir, forget);
    try {
      names.forEach((name, i) => {
        const child = spawn(
          ETCD_BIN,
          [
            '--name', name,
            '--data-dir', join(dataDir, name),
            '--listen-client-urls', clientUrl(i),
            '--advertise-client-urls', clientUrl(i),
            '--listen-peer-urls', peerUrl(i),
            '--initial-advertise-peer-urls', peerUrl(i),
            '--initial-cluster', initialCluster,
            '--initial-cluster-token', token,
            '--initial-cluster-state', 'new',
            '--logger', 'zap',
            '--log-level', 'warn',
          ],
          { stdio: ['ignore', 'pipe', 'pipe'], env },
        );
        track(child);
        let out = '';
        const keep = (chunk: Buffer) => {
          out = (out + chunk.toString()).slice(-4000);
        };
        child.stdout!.on('data', keep);
        child.stderr!.on('data', keep);
        members.push({ name, clientUrl: clientUrl(i), peerUrl: peerUrl(i), child, log: () => out });
      });
      await poll(
        async () => {
          for (const m of members) {
            if (m.child.exitCode !== null || m.child.signalCode !== null) throw new Error(`etcd ${m.name} exited (${m.child.exitCode ?? m.child.signalCode}):\n${m.log()}`);
          }
          const healthy = await Promise.all(members.map((m) => health(m.clientUrl)));
          return healthy.every(Boolean) ? true : undefined;
        },
        20_000,
        'every etcd member to report healthy',
        50,
      ).catch((err: Error) => {
        const exited = members.find((m) => m.child.exitCode !== null || m.child.signalCode !== null);
        throw new Error(exited ? `etcd ${exited.name} exited:\n${exited.log()}` : `${err.message}\n${members.map((m) => `${m.name}: ${m.log()}`).join('\n')}`);
      });
      return cluster;
    } catch (err) {
      await cluster.stop();
      throw err;
    }
  }

  pids(): Record<string, number> {
    return Object.fromEntries(this.members.flatMap((m) => (m.child.pid ? [[`etcd ${m.name}`, m.child.pid]] : [])));
  }

  /** The member every member names as leader, the raft term they agree on, and the leader's store revision. */
  async leader(timeoutMs = 10_000): Promise<{ member: Member; term: number; revision: number }> {
    return poll(
      async () => {
        const statuses = await Promise.all(this.members.map((m) => status(m.clientUrl)));
        const leaderId = statuses[0]?.leader;
        if (!leaderId || !statuses.every((s) => s?.leader === leaderId)) return undefined;
        const i = statuses.findIndex((s) => s?.header?.member_id === leaderId);
        if (i < 0) return undefined;
        const st = statuses[i]!;
        return { member: this.members[i]!, term: Number(st.raftTerm ?? st.header?.raft_term ?? 0), revision: Number(st.header?.revision ?? 0) };
      },
      timeoutMs,
      'the etcd members to agree on a leader',
      20,
    );
  }

  /** SIGTERM every member, SIGKILL after 5 s, and remove the data dir. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await Promise.all(this.members.map((m) => stopChild(m.child, 5000)));
    rmSync(this.dataDir, { recursive: true, force: true });
    this.forgetCleanup();
  }
}

async function health(clientUrl: string): Promise<boolean> {
  try {
    const res = await fetch(`${clientUrl}/health`, { signal: AbortSignal.timeout(1000) });
    const body = (await res.json()) as { health?: string };
    return res.ok && body.health === 'true';
  } catch {
    return false;
  }
}

async function status(clientUrl: string): Promise<StatusReply | undefined> {
  try {
    const res = await fetch(`${clientUrl}/v3/maintenance/status`, { method: 'POST', body: '{}', signal: AbortSignal.timeout(1000) });
    return res.ok ? ((await res.json()) as StatusReply) : undefined;
  } catch {
    return undefined;
  }
}

/** `n` distinct free loopback ports: all held open at once, then released (a small race, fine here). */
async function freePorts(n: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const server = createServer();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
      });
      servers.push(server);
    }
    return servers.map((s) => (s.address() as { port: number }).port);
  } finally {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  }
}
