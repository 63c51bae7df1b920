import { describe, expect, it } from 'vitest';
import { Rng, type NodeId } from '@clusterlab/shared';
import { checkedCluster, settle, type RaftCluster } from './testing';

/**
 * Random crashes, restarts, partitions and message loss under a stream of writes, with the
 * checker asserting Raft's safety properties after every step of every node.
 */
function chaos(seed: number, ids: NodeId[], opts: { preVote: boolean; checkQuorum: boolean }, ms = 4000): RaftCluster {
  const rng = new Rng(seed);
  const { c } = checkedCluster(ids, { ...opts, snapshotThresholdEntries: 10 });
  let loss = 0;
  c.drop = () => loss > 0 && rng.chance(loss);
  let n = 0;
  const end = c.now + ms;
  while (c.now < end) {
    c.advance(rng.between(1, 10));
    const up = c.up();
    // Clients: writes and reads to any node, following one redirect.
    for (let k = rng.int(4); k > 0 && up.length > 0; k--) {
      let via = rng.pick(up);
      const op = rng.next();
      const send = () =>
        op < 0.75
          ? c.put(via, `k${rng.int(30)}`, `v${n++}`)
          : op < 0.85
            ? c.request(via, { type: 'delete', key: `k${rng.int(30)}` })
            : c.get(via, `k${rng.int(30)}`, 'linearizable');
      const first = c.replies.get(send());
      if (first?.type === 'redirect' && !c.down.has(first.leader)) {
        via = first.leader;
        send();
      }
    }
    if (!rng.chance(0.03)) continue;
    const roll = rng.next();
    const leader = c.leaders()[0];
    if (roll < 0.1 && leader && up.length > 1) c.crash(leader);
    else if (roll < 0.2 && leader) {
      const others = rng.shuffled(ids.filter((id) => id !== leader));
      const minority = rng.int(ids.length >> 1);
      c.heal();
      c.partition([leader, ...others.slice(0, minority)], others.slice(minority));
    } else if (roll < 0.3 && up.length > 1) c.crash(rng.pick(up));
    else if (roll < 0.55 && c.down.size > 0) c.restart(rng.pick([...c.down]));
    else if (roll < 0.7) {
      const shuffled = rng.shuffled(ids);
      const cut = rng.between(1, ids.length - 1);
      c.heal();
      c.partition(shuffled.slice(0, cut), shuffled.slice(cut));
    } else if (roll < 0.9) c.heal();
    else loss = loss > 0 ? 0 : 0.2;
  }
  return c;
}

const variants = [
  { preVote: true, checkQuorum: true },
  { preVote: false, checkQuorum: false },
  { preVote: true, checkQuorum: false },
  { preVote: false, checkQuorum: true },
];

describe('Raft safety under random faults (the checker watches every step)', () => {
  for (const v of variants) {
    it(`election safety, log matching, leader completeness, state machine safety, no acknowledged write lost (preVote ${v.preVote}, checkQuorum ${v.checkQuorum})`, () => {
      for (let seed = 1; seed <= 12; seed++) {
        const ids = seed % 2 === 0 ? ['n1', 'n2', 'n3'] : ['n1', 'n2', 'n3', 'n4', 'n5'];
        const c = chaos(seed * 101 + (v.preVote ? 1 : 0) + (v.checkQuorum ? 2 : 0), ids, v);
        // Then heal everything: the cluster must converge (liveness, and every node's copy agrees).
        c.heal();
        c.drop = () => false;
        for (const id of [...c.down]) c.restart(id);
        const leader = settle(c, 10_000);
        c.put(leader, 'final', 'x');
        c.until(() => ids.every((id) => c.core(id).status().appliedIndex === c.core(leader).status().lastIndex), 5000, 'everyone applied');
        const want = c.core(leader).list(1000);
        for (const id of ids) expect(c.core(id).list(1000), `${id} vs leader ${leader}, seed ${seed}`).toEqual(want);
      }
    });
  }
});
