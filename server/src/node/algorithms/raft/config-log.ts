import type { NodeId, RaftConfig } from '@clusterlab/shared';

/**
 * Which configuration is in force (§4.1): the latest one in the log, committed or not, else
 * the one the snapshot or compacted prefix carried, else the voters a new cluster started with.
 * Truncating the log reverts to whatever came before.
 */
export class ConfigLog {
  private baseIndex: number;
  private baseConfig: RaftConfig;
  private changes: { index: number; config: RaftConfig }[] = [];

  constructor(initial: RaftConfig, index = 0) {
    this.baseConfig = initial;
    this.baseIndex = index;
  }

  get current(): RaftConfig {
    return this.changes.at(-1)?.config ?? this.baseConfig;
  }

  /** The index of the entry that set the current configuration (the base's for an inherited one). */
  get currentIndex(): number {
    return this.changes.at(-1)?.index ?? this.baseIndex;
  }

  /** The configuration in force as of `index`. */
  at(index: number): RaftConfig {
    for (let i = this.changes.length - 1; i >= 0; i--) if (this.changes[i]!.index <= index) return this.changes[i]!.config;
    return this.baseConfig;
  }

  add(index: number, config: RaftConfig): void {
    this.changes.push({ index, config });
  }

  /** Whether the configuration in force changed. */
  truncateAfter(index: number): boolean {
    const before = this.changes.length;
    while (this.changes.length > 0 && this.changes.at(-1)!.index > index) this.changes.pop();
    return this.changes.length !== before;
  }

  compact(upTo: number): void {
    let keepFrom = 0;
    while (keepFrom < this.changes.length && this.changes[keepFrom]!.index <= upTo) keepFrom++;
    if (keepFrom === 0) return;
    const last = this.changes[keepFrom - 1]!;
    this.baseConfig = last.config;
    this.baseIndex = last.index;
    this.changes = this.changes.slice(keepFrom);
  }

  reset(index: number, config: RaftConfig): void {
    this.baseConfig = config;
    this.baseIndex = index;
    this.changes = [];
  }
}

export const isVoter = (config: RaftConfig, id: NodeId): boolean => config.voters.includes(id);
export const isMember = (config: RaftConfig, id: NodeId): boolean => config.voters.includes(id) || config.learners.includes(id);
export const membersOf = (config: RaftConfig): NodeId[] => [...config.voters, ...config.learners];
export const majorityOf = (voters: number): number => Math.floor(voters / 2) + 1;
