import { describe, expect, it } from 'vitest';
import { cluster, Driven, replies, sends, settle, reply } from './testing';

const three = ['n1', 'n2', 'n3'];
const ack = (term: number, matchIndex: number, round: number) =>
  ({ type: 'append_entries.reply', term, success: true, matchIndex, conflictTerm: null, conflictIndex: 0, round }) as const;

/** n1 leading term 1 of three voters, its noop committed by n2. */
function leader(): Driven {
  const d = new Driven('n1', three);
  d.elect(['n2']);
  d.deliver('n2', ack(1, 1, 1));
  expect(d.core.status()).toMatchObject({ role: 'leader', commitIndex: 1 });
  return d;
}

describe('ReadIndex (linearizable reads)', () => {
  it('the leader answers only after a majority answers a heartbeat round sent after the read arrived', () => {
    const d = leader();
    d.client(1, { type: 'put', key: 'k', value: 'v' });
    d.deliver('n2', ack(1, 2, 2));
    const out = d.client(2, { type: 'get', key: 'k', read: 'linearizable' });
    expect(replies(out)).toEqual([]);
    const beats = sends(out, 'append_entries');
    expect(beats.map((b) => b.to).sort()).toEqual(['n2', 'n3']);
    const round = beats.find((b) => b.to === 'n3')!.msg.round;
    const before = Math.min(...beats.map((b) => b.msg.round)) - 1;
    // An answer to a round sent before the read arrived proves nothing about now.
    expect(replies(d.deliver('n3', ack(1, 2, before)))).toEqual([]);
    expect(replies(d.deliver('n3', ack(1, 2, round)))).toEqual([{ requestId: 2, reply: { type: 'value', value: { value: 'v', index: 2 } } }]);
  });

  it('a new leader takes no read index until an entry of its own term has committed', () => {
    const d = new Driven('n1', three);
    d.elect(['n2']);
    const out = d.client(1, { type: 'get', key: 'k', read: 'linearizable' });
    const round = sends(out, 'append_entries', 'n2')[0]!.msg.round;
    expect(replies(d.deliver('n2', ack(1, 0, round)))).toEqual([]); // leadership confirmed, commit unknown
    expect(replies(d.deliver('n2', ack(1, 1, round)))).toEqual([{ requestId: 1, reply: { type: 'value', value: null } }]);
  });

  it('a leader that steps down answers its pending reads unavailable', () => {
    const d = leader();
    d.client(7, { type: 'get', key: 'k', read: 'linearizable' });
    const out = d.deliver('n3', { type: 'append_entries', term: 2, prevLogIndex: 0, prevLogTerm: 0, entries: [], leaderCommit: 0, round: 1 });
    expect(replies(out)).toEqual([{ requestId: 7, reply: expect.objectContaining({ type: 'unavailable', maybeApplied: false }) }]);
  });

  it('a deposed leader partitioned in a minority never answers a linearizable read, while a leader-mode read answers stale', () => {
    const c = cluster(three, { checkQuorum: false, writeTimeoutMs: 800 });
    const old = settle(c);
    c.put(old, 'k', 'v1');
    c.partition([old], three.filter((id) => id !== old));
    c.until(() => c.leaders().length === 2, 2000, 'a second leader');
    const fresh = c.leaders().find((id) => id !== old)!;
    expect(reply(c, c.put(fresh, 'k', 'v2'))).toMatchObject({ type: 'ok' });
    const lin = c.get(old, 'k', 'linearizable');
    const stale = c.get(old, 'k', 'leader');
    expect(reply(c, stale)).toEqual({ type: 'value', value: { value: 'v1', index: 2 } });
    c.advance(799);
    expect(reply(c, lin)).toBeUndefined();
    c.advance(1);
    expect(reply(c, lin)).toMatchObject({ type: 'unavailable', maybeApplied: false });
    const good = c.get(fresh, 'k', 'linearizable');
    c.until(() => reply(c, good) !== undefined, 500);
    expect(reply(c, good)).toMatchObject({ type: 'value', value: { value: 'v2' } });
  });

  it('followers redirect leader and linearizable reads, and answer local reads from their own copy', () => {
    const c = cluster(three);
    const leaderId = settle(c);
    c.put(leaderId, 'k', 'v');
    c.advance(60);
    const follower = three.find((id) => id !== leaderId)!;
    expect(reply(c, c.get(follower, 'k', 'linearizable'))).toEqual({ type: 'redirect', leader: leaderId });
    expect(reply(c, c.get(follower, 'k', 'leader'))).toEqual({ type: 'redirect', leader: leaderId });
    expect(reply(c, c.get(follower, 'k', 'local'))).toMatchObject({ type: 'value', value: { value: 'v' } });
  });

  it('a single-voter cluster answers a linearizable read at once', () => {
    const c = cluster(['n1']);
    settle(c);
    c.put('n1', 'k', 'v');
    const r = c.get('n1', 'k', 'linearizable');
    expect(reply(c, r)).toMatchObject({ type: 'value', value: { value: 'v' } });
  });

  it('many reads at once share heartbeat rounds instead of each sending its own', () => {
    const d = leader();
    const first = d.client(1, { type: 'get', key: 'k', read: 'linearizable' });
    let sent = sends(first, 'append_entries').length;
    for (let i = 2; i <= 50; i++) sent += sends(d.client(i, { type: 'get', key: 'k', read: 'linearizable' }), 'append_entries').length;
    expect(sent).toBe(2); // one broadcast; the others wait for the next
    const round = sends(first, 'append_entries', 'n2')[0]!.msg.round;
    const out = d.deliver('n2', ack(1, 1, round));
    expect(replies(out).map((r) => r.requestId)).toEqual([1]);
    const again = sends(out, 'append_entries');
    expect(again.length).toBe(2); // the second broadcast, for the reads that came later
    const done = d.deliver('n2', ack(1, 1, again.find((a) => a.to === 'n2')!.msg.round));
    expect(replies(done)).toHaveLength(49);
  });
});
