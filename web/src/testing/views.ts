import { DEFAULT_SETTINGS, type ClusterView, type NodeView } from '@clusterlab/shared';

export function nodeView(id: string, over: Partial<NodeView> = {}): NodeView {
  return {
    id,
    role: 'follower',
    status: 'running',
    pid: 100 + Number(id.slice(1)),
    port: 5000 + Number(id.slice(1)),
    url: `http://127.0.0.1:${5000 + Number(id.slice(1))}`,
    term: 103,
    leader: 'n3',
    lastIndex: 0,
    commitIndex: 0,
    appliedIndex: 0,
    keyCount: 0,
    lastHeartbeatAt: 1000,
    votedFor: null,
    membership: 'none',
    startedAt: 10,
    exit: null,
    ...over,
  };
}

export function clusterView(over: Partial<ClusterView> = {}): ClusterView {
  return {
    leader: 'n3',
    term: 103,
    settings: DEFAULT_SETTINGS,
    nodes: [nodeView('n1'), nodeView('n2'), nodeView('n3', { role: 'leader', lastHeartbeatAt: null })],
    registry: { status: 'running', pid: 99, port: 4999, url: 'http://127.0.0.1:4999', ttlMs: 1000, nodes: [] },
    now: 2000,
    ...over,
  };
}
