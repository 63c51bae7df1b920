import { describe, expect, it } from 'vitest';
import { filterEvents } from './eventFilter';
import { eventFactory } from '../testing/events';

const ev = eventFactory();
const events = [
  ev(1, 'n1', 'leader.followed', { term: 103, leader: 'n3' }),
  ev(2, 'supervisor', 'fault.injected', { action: 'kill', target: 'n2' }),
  ev(3, 'n3', 'kv.write', { key: 'Color', op: 'put', index: 4, term: 103 }),
  ev(4, 'n3', 'message.sent', { id: 'a', to: 'n2', type: 'append', term: 103 }),
];
const none = { node: null, hiddenFamilies: [], search: '' };

describe('event log filters', () => {
  it('no filter returns the same list (no copy per frame)', () => {
    expect(filterEvents(events, none)).toBe(events);
  });

  it('a node filter keeps events from it and about it', () => {
    expect(filterEvents(events, { ...none, node: 'n2' }).map((e) => e.seq)).toEqual([2, 4]);
  });

  it('hidden families are left out', () => {
    expect(filterEvents(events, { ...none, hiddenFamilies: ['message', 'kv'] }).map((e) => e.kind)).toEqual(['leader.followed', 'fault.injected']);
  });

  it('search matches kind, node and data, ignoring case', () => {
    expect(filterEvents(events, { ...none, search: 'color' }).map((e) => e.seq)).toEqual([3]);
    expect(filterEvents(events, { ...none, search: 'FAULT' }).map((e) => e.seq)).toEqual([2]);
  });
});
