import type { ClusterEvent, ClusterSettings, Fault, KvResult, NodeId, NodeView, ProcessAction } from '@clusterlab/shared';
import type { ReadMode } from '../node/core/types';

/**
 * What a scenario needs of a cluster, and nothing more: the supervisor's real one
 * (supervisor/lessons/supervisor-host.ts), or, later, the simulator's. Every wait goes through
 * `sleep`, so a host with a virtual clock runs the same scenario in virtual time.
 */
/** A node as a scenario sees it: the role it says it has (null: not running, or not known yet), the leader it names, how far it has applied. */
export type HostNode = { id: NodeId; role: string | null; leader: NodeId | null; running: boolean; applied: number };

export interface ScenarioHost {
  /** A fresh cluster of `nodes` nodes running these settings (again, for a lesson that restarts). */
  start(nodes: number, settings: ClusterSettings): Promise<void>;
  /** The leader the cluster agrees on, or null. */
  leader(): NodeId | null;
  /** Every node, with the role it says it has (null: not running, or not known yet) and the leader it names. */
  nodes(): HostNode[];
  /** Applies a fault; a lasting one's id comes back, for healing it. */
  fault(fault: Fault): Promise<string | null>;
  heal(id: string | 'all'): void;
  /** Starts one more node, empty; with Raft it also joins the configuration. Its id comes back. */
  addNode(): Promise<NodeId>;
  /** Removes a node (with Raft, out of the configuration first). */
  removeNode(id: NodeId): Promise<void>;
  /** Kills, stops, pauses, resumes or restarts the registry; an action that cannot be done now throws. */
  registry(action: ProcessAction): Promise<void>;
  /** A read, or a write — one that applies only while the key is at `ifVersion` (0: absent), if given. */
  kv(op: 'put' | 'get', key: string, options: { value?: string; via?: NodeId; mode?: ReadMode; ifVersion?: number }): Promise<KvResult>;
  /** What each running node holds for the key, from its own copy (undefined: could not ask). */
  readEverywhere(key: string): Promise<{ node: NodeId; value: string | null | undefined }[]>;
  /** The newest event's number, and the events after `seq`. */
  seq(): number;
  eventsSince(seq: number): readonly ClusterEvent[];
  sleep(ms: number): Promise<void>;
  /** The host's clock in ms (virtual in the simulator), for the times of the lesson's reads and writes. */
  now(): number;
}

/** A node as a scenario sees it, from the view the supervisor or the simulator keeps of it. */
export function hostNode(n: Pick<NodeView, 'id' | 'status' | 'role' | 'leader' | 'appliedIndex'>): HostNode {
  return { id: n.id, role: n.status === 'running' && n.role !== 'unknown' ? n.role : null, leader: n.leader, running: n.status === 'running', applied: n.appliedIndex };
}
