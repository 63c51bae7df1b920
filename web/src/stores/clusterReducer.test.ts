import { describe, expect, it } from 'vitest';
import { applyClusterView, applyEventsToCluster, initialCluster } from './clusterReducer';
import { clusterView, nodeView } from '../testing/views';
import { eventFactory } from '../testing/events';
import { reduceFrame } from './frameReducer';
import { initialEvents } from './eventsReducer';

describe('cluster view', () => {
  it('orders nodes by rank, so n10 comes after n9', () => {
    const s = applyClusterView(initialCluster, clusterView({ nodes: [nodeView('n10'), nodeView('n9'), nodeView('n1')] }), 0);
    expect(s.nodeIds).toEqual(['n1', 'n9', 'n10']);
  });

  it('an unchanged node keeps its object, so its card does not re-render', () => {
    const a = applyClusterView(initialCluster, clusterView(), 0);
    const view = clusterView();
    view.nodes[1] = nodeView('n2', { appliedIndex: 7 });
    const b = applyClusterView(a, view, 0);
    expect(b.nodes.n1).toBe(a.nodes.n1);
    expect(b.nodes.n2).not.toBe(a.nodes.n2);
    expect(b.nodeIds).toBe(a.nodeIds);
    expect(b.settings).toBe(a.settings);
  });

  it('remembers how far the supervisor clock is from ours', () => {
    expect(applyClusterView(initialCluster, clusterView({ now: 5000 }), 4990).clockOffsetMs).toBe(10);
  });

  it('a slightly older view does not move a heartbeat back in time', () => {
    const a = applyClusterView(initialCluster, clusterView(), 0);
    const ev = eventFactory();
    const b = applyEventsToCluster(a, [ev(1500, 'n1', 'message.received', { id: 'x', from: 'n3', type: 'heartbeat', term: 103 })]);
    expect(b.nodes.n1!.lastHeartbeatAt).toBe(1500);
    expect(applyClusterView(b, clusterView(), 0).nodes.n1!.lastHeartbeatAt).toBe(1500);
  });
});

describe('events between views', () => {
  const base = applyClusterView(initialCluster, clusterView(), 0);

  it('a new leader shows on its card at once', () => {
    const ev = eventFactory();
    const s = applyEventsToCluster(base, [
      ev(10, 'n2', 'election.started', { term: 202, asked: ['n3'] }),
      ev(20, 'n2', 'leader.elected', { term: 202, peers: ['n1'] }),
      ev(21, 'n1', 'leader.followed', { term: 202, leader: 'n2' }),
    ]);
    expect(s.nodes.n2).toMatchObject({ role: 'leader', term: 202 });
    expect(s.nodes.n1).toMatchObject({ role: 'follower', leader: 'n2' });
    expect(s.leader).toBe('n2');
    expect(s.nodes.n3).toBe(base.nodes.n3);
  });

  it('an exited process shows as stopped', () => {
    const ev = eventFactory();
    const s = applyEventsToCluster(base, [ev(10, 'supervisor', 'node.exited', { id: 'n3', code: null, signal: 'SIGKILL', expected: true })]);
    expect(s.nodes.n3).toMatchObject({ status: 'stopped', pid: null });
    expect(s.leader).toBeNull();
  });

  it('events that change nothing on a card keep the same state', () => {
    const ev = eventFactory();
    expect(applyEventsToCluster(base, [ev(10, 'n3', 'message.sent', { id: 'a', to: 'n1', type: 'heartbeat', term: 103 })])).toBe(base);
  });

  it('a repeated events frame after a resume does not re-apply old events to the cards', () => {
    const ev = eventFactory();
    const elected = ev(20, 'n2', 'leader.elected', { term: 202, peers: [] });
    const fed = reduceFrame({ cluster: base, events: initialEvents }, { type: 'events', events: [elected] }, 0);
    const again = reduceFrame(fed, { type: 'events', events: [elected] }, 0);
    expect(again).toBe(fed);
  });
});

describe('feed lag', () => {
  it('measures how late events reach the page, smoothed and rounded', () => {
    const base = applyClusterView(initialCluster, clusterView({ now: 1000 }), 1000);
    const ev = eventFactory();
    const e = (t: number) => ev(t, 'n1', 'message.received', { id: String(t), from: 'n3', type: 'heartbeat', term: 103 });
    let s = reduceFrame({ cluster: base, events: initialEvents }, { type: 'events', events: [e(900)] }, 1000);
    expect(s.cluster.feedLagMs).toBe(100);
    s = reduceFrame(s, { type: 'events', events: [e(1950)] }, 2000);
    expect(s.cluster.feedLagMs).toBe(90);
  });
});
