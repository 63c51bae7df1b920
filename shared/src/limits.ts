/** Limits on everything a client or peer can send us. Past these we answer 4xx, never crash. */
export const MAX_KEY_BYTES = 1024;
export const MAX_VALUE_BYTES = 1024 * 1024;
export const MIN_NODES = 1;
export const MAX_NODES = 25;
/** Largest peer message body a node accepts (a snapshot of many keys travels in one). */
export const MAX_PEER_MESSAGE_BYTES = 64 * 1024 * 1024;
/**
 * Entries in one append batch, and bytes of their JSON (a single larger entry goes alone): a
 * follower catching up gets batches it parses in milliseconds, with heartbeats in between.
 */
export const MAX_APPEND_ENTRIES = 2000;
export const MAX_APPEND_BYTES = 1024 * 1024;
/**
 * Bytes of JSON in one snapshot chunk (a single larger pair goes alone). Small enough that
 * writing, sending and parsing one takes a few milliseconds, so the heartbeats queued behind
 * it still arrive in time; the next chunk goes only once this one is acknowledged.
 */
export const MAX_SNAPSHOT_CHUNK_BYTES = 512 * 1024;
/** Log entries kept after compaction; a follower further behind gets a snapshot. */
export const LOG_RETAIN_ENTRIES = 20_000;
/** Client writes a leader holds while it waits for acknowledgements. */
export const MAX_PENDING_WRITES = 20_000;
/** Events the supervisor keeps for reconnecting browsers. */
export const EVENT_BUFFER_SIZE = 20_000;
