import { BenchCluster, settled, tryWrite } from './lib/cluster';
import { poll, summarize, type Summary } from './lib/stats';

/** A cluster holding `keys` keys gains a node; how long until that node has all of them? */
export async function benchCatchUp(
  keys: number,
  trials: number,
  clusterArgs: string[] = [],
): Promise<{ catchUpMs: Summary; fromReadyMs: Summary; keys: number }> {
  const sup = await BenchCluster.start(3, clusterArgs);
  const times: number[] = [];
  const fromReady: number[] = [];
  try {
    const leader = await settled(sup);
    // Fill the cluster through the leader, 32 writes at a time. A write that is not
    // acknowledged (a leader change under the fill, say) is tried again, so every key is there.
    await new Promise<void>((resolve, reject) => {
      let n = 0;
      const deadline = performance.now() + 120_000;
      const writeOne = async (key: number): Promise<void> => {
        for (let attempt = 0; attempt < 50 && performance.now() < deadline; attempt++) {
          const current = attempt === 0 ? leader : await settled(sup).catch(() => leader);
          if (await tryWrite(current.url!, `k${key}`, `value-${key + 1}`, 3000)) return;
          await new Promise((r) => setTimeout(r, 20));
        }
        throw new Error(`could not write k${key} while filling the cluster`);
      };
      const next = (): Promise<void> => (n >= keys ? Promise.resolve() : writeOne(n++).then(next));
      Promise.all(Array.from({ length: 32 }, next)).then(() => resolve(), reject);
    });
    for (let i = 0; i < trials; i++) {
      const current = await settled(sup);
      const target = (await sup.cluster()).nodes.find((n) => n.id === current.id)!.commitIndex;
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
      const doneAt = Date.now(); // before fetching the events: that takes a while once the buffer is full
      const ready = (await sup.events(0)).find((e) => e.kind === 'node.ready' && e.node === added.id);
      if (ready) fromReady.push(doneAt - ready.time);
    }
  } finally {
    await sup.stop();
  }
  return { catchUpMs: summarize(times), fromReadyMs: summarize(fromReady), keys };
}
