import { BenchCluster, settled } from './lib/cluster';
import { poll, summarize, type Summary } from './lib/stats';

/** A cluster holding `keys` keys gains a node; how long until that node has all of them? */
export async function benchCatchUp(
  keys: number,
  trials: number,
): Promise<{ catchUpMs: Summary; fromReadyMs: Summary; keys: number }> {
  const sup = await BenchCluster.start(3);
  const times: number[] = [];
  const fromReady: number[] = [];
  try {
    const leader = await settled(sup);
    // Fill the cluster through the leader, 32 writes at a time.
    await new Promise<void>((resolve, reject) => {
      let n = 0;
      const writes: Promise<unknown>[] = [];
      const next = (): Promise<void> =>
        n >= keys
          ? Promise.resolve()
          : fetch(new URL(`/db/k${n++}`, leader.url!), { method: 'PUT', body: `value-${n}` }).then((r) => r.arrayBuffer()).then(next);
      for (let c = 0; c < 32; c++) writes.push(next());
      Promise.all(writes).then(() => resolve(), reject);
    });
    for (let i = 0; i < trials; i++) {
      const target = (await sup.cluster()).nodes.find((n) => n.id === leader.id)!.commitIndex;
      const t0 = performance.now();
      const added = (await (await sup.api('/api/nodes', { method: 'POST' })).json()) as { id: string };
      await poll(
        async () => {
          const node = (await sup.cluster()).nodes.find((n) => n.id === added.id);
          if (!node?.url) return undefined;
          const status = (await (await fetch(new URL('/status', node.url))).json()) as { appliedIndex: number; keyCount: number };
          return status.appliedIndex >= target && status.keyCount >= keys ? true : undefined;
        },
        30_000,
        `${added.id} to hold ${keys} keys`,
        10,
      );
      times.push(performance.now() - t0);
      const ready = (await sup.events(0)).find((e) => e.kind === 'node.ready' && e.node === added.id);
      if (ready) fromReady.push(Date.now() - ready.time);
    }
  } finally {
    await sup.stop();
  }
  return { catchUpMs: summarize(times), fromReadyMs: summarize(fromReady), keys };
}
