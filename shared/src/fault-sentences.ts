import type { Fault } from './faults';
import { NODE_ID_PATTERN } from './ids';
import { CLIENT_PARTY, REGISTRY_PARTY, type Party } from './parties';

/**
 * A fault in one sentence that says exactly which links it cuts or slows and names the
 * parties: what the fault API answers, the event log shows and the dashboard previews before
 * a fault is applied. In shared/, zod-free, so the browser and the server say the same words.
 *
 *   n1 is cut off from n2, n3 and the registry, both ways
 *   what n1 sends to n2 is lost; n2 → n1 still works
 *   messages from n2 to every other node, the registry and the clients take 200 ms more (±50 ms)
 *
 * A side a link fault leaves out is everyone n has a link with: a node talks to every other
 * node, the registry and the clients; the registry and clients talk to nodes only.
 */
export function describeFault(fault: Fault): string {
  switch (fault.kind) {
    case 'partition':
      return describePartition(fault.groups);
    case 'cut':
      return `what ${name(fault.from)} ${plural([fault.from]) ? 'send' : 'sends'} to ${name(fault.to)} is lost; ${name(fault.to)} → ${name(fault.from)} still works`;
    case 'delay': {
      const jitter = fault.jitterMs > 0 ? ` (±${fault.jitterMs} ms)` : '';
      if (fault.from === undefined && fault.to === undefined) return `every message, on every link, takes ${fault.ms} ms more${jitter}`;
      return `messages ${between(fault.from, fault.to)} take ${fault.ms} ms more${jitter}`;
    }
    case 'loss':
      if (fault.from === undefined && fault.to === undefined) return `${percent(fault.rate)} of messages on every link are lost`;
      return `${percent(fault.rate)} of messages ${between(fault.from, fault.to)} are lost`;
    case 'duplicate':
      if (fault.from === undefined && fault.to === undefined) return `${percent(fault.rate)} of messages between nodes arrive twice`;
      return `${percent(fault.rate)} of messages ${between(fault.from, fault.to, true)} arrive twice`;
    case 'clock':
      return `${fault.node}'s clock runs ${Math.abs(fault.offsetMs)} ms ${fault.offsetMs > 0 ? 'ahead' : 'behind'}`;
    case 'kill':
      return `${fault.node} is killed (SIGKILL): it keeps only what it wrote to disk`;
    case 'stop':
      return `${fault.node} is stopped (SIGTERM): it leaves the registry and exits`;
    case 'pause':
      return `${fault.node} is paused (SIGSTOP): it runs nothing, and messages to it wait, until it resumes`;
    case 'resume':
      return `${fault.node} resumes (SIGCONT) and takes the messages that waited for it`;
    case 'restart':
      return `${fault.node} is restarted from its disk`;
    default: {
      const never: never = fault;
      throw new Error(`unknown fault ${JSON.stringify(never)}`);
    }
  }
}

/** The end of a lasting fault, for the event log: "healed partition-1 (n1 is cut off from n2 and n3, both ways)". */
export function describeHeal(id: string, fault: Fault): string {
  return `healed ${id} (${describeFault(fault)})`;
}

function describePartition(groups: readonly (readonly Party[])[]): string {
  if (groups.length === 2) {
    const [a, b] = groups as [readonly Party[], readonly Party[]];
    return `${list(a)} ${plural(a) ? 'are' : 'is'} cut off from ${list(b)}, both ways`;
  }
  return `${groups.length} groups are cut off from one another, both ways: ${groups.map(list).join(' | ')}`;
}

/** "from n1 to n2", "from n2 to every other node, the registry and the clients", "to the registry from every node". */
function between(from: Party | undefined, to: Party | undefined, nodesOnly = false): string {
  if (from !== undefined && to !== undefined) return `from ${name(from)} to ${name(to)}`;
  if (from !== undefined) return `from ${name(from)} to ${everyoneLinkedTo(from, nodesOnly)}`;
  return `to ${name(to!)} from ${everyoneLinkedTo(to!, nodesOnly)}`;
}

function everyoneLinkedTo(party: Party, nodesOnly: boolean): string {
  if (!NODE_ID_PATTERN.test(party)) return 'every node';
  return nodesOnly ? 'every other node' : 'every other node, the registry and the clients';
}

function name(party: Party): string {
  if (party === REGISTRY_PARTY) return 'the registry';
  if (party === CLIENT_PARTY) return 'the clients';
  return party;
}

function plural(parties: readonly Party[]): boolean {
  return parties.length > 1 || parties[0] === CLIENT_PARTY;
}

function list(parties: readonly Party[]): string {
  const names = parties.map(name);
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** 0.2 → "20%", 0.005 → "0.5%". */
function percent(rate: number): string {
  return `${Math.round(rate * 1000) / 10}%`;
}
