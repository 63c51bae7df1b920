/** Limits on everything a client or peer can send us. Past these we answer 4xx, never crash. */
export const MAX_KEY_BYTES = 1024;
export const MAX_VALUE_BYTES = 1024 * 1024;
export const MIN_NODES = 1;
export const MAX_NODES = 25;
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
/** A node's transport puts queued messages for one peer into one POST up to this many bytes (a larger message goes alone). */
export const MAX_PEER_BATCH_BYTES = 1024 * 1024;
/**
 * The most JSON one write can take inside a message: a key and value made entirely of control
 * characters, each byte written as the six bytes `\u00XX` (nothing else grows more: a quote or
 * backslash doubles, other UTF-8 keeps its length), plus the entry's own fields.
 */
export const MAX_WRITE_JSON_BYTES = 6 * (MAX_KEY_BYTES + MAX_VALUE_BYTES) + 256;
/**
 * Largest POST /peer body a node accepts: what the largest legitimate message needs, and no
 * more, so a burst of bodies cannot take a node's memory (8 bodies of the old 64 MiB limit
 * took one from 93 to 784 MB). Every message is bounded: an append by MAX_APPEND_BYTES, a
 * snapshot chunk by MAX_SNAPSHOT_CHUNK_BYTES, a batch by MAX_PEER_BATCH_BYTES — except that a
 * single entry or pair larger than its bound goes alone, so the largest is one maximal write:
 *   6 × (1 KiB key + 1 MiB value) + 256      = 6,297,856 bytes (MAX_WRITE_JSON_BYTES)
 *   + 64 KiB for the message's other fields (a Raft snapshot's configuration, indexes) and
 *     the envelope (sender, id, algorithm) — all of it well under 2 KiB today
 *   = 6,363,392 bytes, about 6.07 MiB.
 * peer-body-cap.test.ts builds the worst messages of both algorithms and checks they fit.
 */
export const MAX_PEER_MESSAGE_BYTES = Math.max(MAX_WRITE_JSON_BYTES, MAX_APPEND_BYTES, MAX_SNAPSHOT_CHUNK_BYTES, MAX_PEER_BATCH_BYTES) + 64 * 1024;
/** Log entries kept after compaction; a follower further behind gets a snapshot. */
export const LOG_RETAIN_ENTRIES = 20_000;
/** Client writes a leader holds while it waits for acknowledgements. */
export const MAX_PENDING_WRITES = 20_000;
/** Events the supervisor keeps for reconnecting browsers. */
export const EVENT_BUFFER_SIZE = 20_000;
/**
 * Bytes of trace one node process records (its boot and its core inputs, docs/trace-format.md);
 * past it the node's recording stops with a `truncated` line and the run goes on. An idle
 * 3-node cluster records about 10 KiB/s per node, a busy one up to a few MiB/s.
 */
export const MAX_TRACE_BYTES_PER_BOOT = 64 * 1024 * 1024;
