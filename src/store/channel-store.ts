import type { ChannelStore } from "../core/channel-store.js";
import type { KeyValueStore, KvEntry } from "../core/kv.js";
import type { SessionRecord } from "../core/session.js";
import type { Turn, TurnReader } from "../core/turn.js";
import { createLruCache } from "../util/lru.js";
import {
  archiveTurns,
  entryOf,
  grownArchive,
  physicalFloor,
  readArchive,
  turnsPastLimit,
} from "./archive.js";
import { findSeq } from "./find-seq.js";
import { archiveKey, derivedKey, SEGMENT_TURNS, segmentKey, segmentOf, sessionKey } from "./keys.js";
import { type CommitWrites, createSessionCommits, type LeaseOf } from "./session-commit.js";
import { holdsKeyedTurns, newSession, tailChars, tailOf } from "./session-record.js";
import { renewalEntries } from "./ttl-renewal.js";
import { rewriteTurns } from "./turn-rewrite.js";
import { type CurrentRecord, upgradeRecord } from "./upgrade-record.js";

export { SEGMENT_TURNS } from "./keys.js";
export { TTL_RENEW_SHARE } from "./ttl-renewal.js";

export interface ChannelStoreOptions {
  /**
   * Turns kept per channel, exactly: older ones are never read, shown or exported again. Their segment
   * key is deleted once all of its 64 turns are past the limit, so up to 63 wait in the store till then.
   */
  readonly maxStoredTurns: number;
  /** Keyv TTL on every channel key: a safety net behind the idle sweep. Unset: no expiry. */
  readonly ttlMs?: number | undefined;
  readonly now?: (() => number) | undefined;
  /** The lease this process holds on a channel (Redis), proven by every commit of the channel. */
  readonly lease?: LeaseOf | undefined;
  /**
   * Told when a key the session record names is missing (evicted, expired under a live record): its
   * turns read as gone, and the operator should know. The store goes on with what is there.
   */
  readonly onMissingKey?: ((channel: string, key: string) => void) | undefined;
}

/**
 * Characters of text the session's tail may hold before it is written out to its segment key early,
 * so a run of very long messages cannot make the record read and written on every exchange large.
 */
export const TAIL_MAX_CHARS = 24_000;
/** Older segments read at once by `newestFirst`: a 3,000-token buffer is about the tail plus two. */
const SEGMENTS_PER_READ = 2;
/** Complete segments a process keeps decoded (about 10 KB each for chat-sized turns). */
export const CACHED_SEGMENTS = 1024;

export function createChannelStore(kv: KeyValueStore, options: ChannelStoreOptions): ChannelStore {
  const now = options.now ?? Date.now;
  const ttl = options.ttlMs;
  const withTtl = (key: string, value: unknown, ttlMs = ttl): KvEntry =>
    ttlMs === undefined ? { key, value } : { key, value, ttlMs };
  /** The record expires when the channel's oldest keys do (a record from before renewals: in full). */
  const sessionTtl = (session: SessionRecord) =>
    ttl === undefined || session.ttlRenewedAt === undefined
      ? ttl
      : Math.max(1, session.ttlRenewedAt + ttl - now());
  const commits = createSessionCommits(kv, options.lease);
  /** The one way anything of a channel is written: a fenced commit of its record (session-commit.ts). */
  const commit = (channel: string, session: SessionRecord, writes?: CommitWrites) =>
    commits.commit(channel, session, withTtl(sessionKey(channel), session, sessionTtl(session)), writes);

  /**
   * Segment keys already read for a loaded session. A session object lives for one exchange, under the
   * channel's lock, and every write to its segments goes through this store, so the copy stays true.
   */
  const segmentCache = new WeakMap<SessionRecord, Map<number, Turn[]>>();
  const cacheOf = (session: SessionRecord) => {
    let cache = segmentCache.get(session);
    if (!cache) {
      cache = new Map();
      segmentCache.set(session, cache);
    }
    return cache;
  };
  /**
   * Complete segments, shared by every exchange of this process. A complete segment changes only with
   * `segmentsVersion`, and a log that restarts gets a new `logId`; both are in the key, and the session
   * is read fresh on every exchange, so a stale copy is never used, also when other processes write.
   */
  const completeSegments = createLruCache<Turn[]>(CACHED_SEGMENTS);
  const completeKey = (channel: string, session: CurrentRecord, segment: number) =>
    (segment + 1) * SEGMENT_TURNS <= session.tailFrom
      ? `${channel}\n${session.logId}\n${session.segmentsVersion}\n${segment}`
      : undefined;
  const remember = (channel: string, session: CurrentRecord, segment: number, turns: Turn[]) => {
    cacheOf(session).set(segment, turns);
    const key = completeKey(channel, session, segment);
    if (key) completeSegments.set(key, turns);
  };

  /** What the segment keys hold, read once per session, complete ones once per process (missing as empty). */
  async function keyTurns(channel: string, session: CurrentRecord, segments: number[]): Promise<Turn[][]> {
    const cache = cacheOf(session);
    for (const s of segments) {
      const key = cache.has(s) ? undefined : completeKey(channel, session, s);
      const known = key === undefined ? undefined : completeSegments.get(key);
      if (known) cache.set(s, known);
    }
    const missing = segments.filter((s) => !cache.has(s));
    if (missing.length > 0) {
      const values = await kv.getMany<Turn[]>(missing.map((s) => segmentKey(channel, s)));
      missing.forEach((s, i) => {
        const turns = values[i];
        if (turns === undefined && holdsKeyedTurns(session, s))
          options.onMissingKey?.(channel, segmentKey(channel, s));
        remember(channel, session, s, turns ?? []);
      });
    }
    return segments.map((s) => cache.get(s) ?? []);
  }

  /** A segment's stored turns, oldest first: from its key below the tail's start, then from the tail. */
  async function readSegments(
    channel: string,
    session: CurrentRecord,
    segments: number[],
  ): Promise<Turn[][]> {
    const tail = tailOf(session);
    const keyed = segments.filter((s) => s * SEGMENT_TURNS < tail.from);
    const fromKeys = await keyTurns(channel, session, keyed);
    return segments.map((s) => {
      const k = keyed.indexOf(s);
      const stored = k < 0 ? [] : (fromKeys[k] ?? []).filter((t) => t.seq < tail.from);
      const tailed =
        (s + 1) * SEGMENT_TURNS > tail.from ? tail.turns.filter((t) => segmentOf(t.seq) === s) : [];
      return tailed.length === 0 ? stored : [...stored, ...tailed];
    });
  }

  function reader(channel: string, given: SessionRecord): TurnReader {
    const session = upgradeRecord(given);
    const { first, next } = session;
    const inRange = (t: Turn, from: number, to: number) => t.seq >= from && t.seq < to;
    const range = async (from: number, to: number): Promise<Turn[]> => {
      const lo = Math.max(from, first);
      const hi = Math.min(to, next);
      if (lo >= hi) return [];
      const segments: number[] = [];
      for (let s = segmentOf(lo); s <= segmentOf(hi - 1); s++) segments.push(s);
      const chunks = await readSegments(channel, session, segments);
      return chunks.flat().filter((t) => inRange(t, lo, hi));
    };
    return {
      range,
      recent: (limit) => range(Math.max(first, next - Math.max(0, limit)), next),
      async bySeq(seqs) {
        const stored = seqs.filter((seq) => seq >= first && seq < next);
        const wanted = [...new Set(stored.map(segmentOf))];
        const chunks = await readSegments(channel, session, wanted);
        const bySegment = new Map(wanted.map((s, i) => [s, chunks[i] ?? []]));
        return stored.flatMap((seq) => findSeq(bySegment.get(segmentOf(seq)) ?? [], seq) ?? []);
      },
      async *oldestFirst(from) {
        for (let s = segmentOf(Math.max(from, first)); s * SEGMENT_TURNS < next; s++) {
          const [chunk = []] = await readSegments(channel, session, [s]);
          yield chunk.filter((turn) => turn.seq >= from && inRange(turn, first, next));
        }
      },
      async *newestFirst(from = first) {
        const lo = Math.max(from, first);
        if (next <= lo) return;
        const newest = segmentOf(next - 1);
        const oldest = segmentOf(lo);
        // The newest segment alone first: in a session with a tail it needs no read at all.
        for (let s = newest; s >= oldest; ) {
          const count = s === newest ? 1 : Math.min(SEGMENTS_PER_READ, s - oldest + 1);
          const batch = Array.from({ length: count }, (_, i) => s - i);
          for (const chunk of await readSegments(channel, session, batch)) {
            for (let i = chunk.length - 1; i >= 0; i--) {
              const turn = chunk[i];
              if (turn && inRange(turn, lo, next)) yield turn;
            }
          }
          s -= count;
        }
      },
    };
  }

  const pastLimit = (channel: string, session: CurrentRecord) =>
    turnsPastLimit(session, (segments) => readSegments(channel, session, segments));

  const rewrite: ChannelStore["rewriteTurns"] = async (channel, given, change, opts) => {
    const session = upgradeRecord(given);
    // A rewrite deletes the oldest segment key: the turns past the limit in it join the archive first.
    const waiting = await pastLimit(channel, session);
    if (waiting.length > 0) await archiveTurns(kv, channel, session, waiting, ttl);
    return rewriteTurns(
      {
        entry: (key, value) => withTtl(key, value),
        readAll: (c, s) => reader(c, s).range(s.first, s.next),
        async commit(c, s, writes) {
          segmentCache.delete(s);
          await commit(c, s, writes);
        },
      },
      channel,
      session,
      change,
      opts,
    );
  };

  return {
    async load(channel) {
      const stored = await commits.load(channel, sessionKey(channel));
      return stored ? upgradeRecord(stored) : newSession(now());
    },
    save: (channel, session) => commit(channel, session),
    async append(channel, given, input, beforeCommit) {
      const session = upgradeRecord(given);
      const seq = session.next;
      const turn: Turn = { ...input, seq };
      const tail = tailOf(session);
      const floor = physicalFloor(session.first);
      const tailTurns = [...tail.turns.filter((t) => t.seq >= floor && t.seq < seq), turn];
      await beforeCommit?.(turn);

      const writes: KvEntry[] = [];
      let written: { segment: number; turns: Turn[] } | undefined;
      session.next = seq + 1;
      session.lastActivity = Math.max(session.lastActivity, input.ts);
      const renewed = await renewalEntries(kv, channel, session, ttl, tail.from, now());
      if (session.next % SEGMENT_TURNS === 0 || tailChars(tailTurns) > TAIL_MAX_CHARS) {
        // The segment is complete (or the tail too large): write it out, the tail starts afresh.
        const segment = segmentOf(seq);
        const [stored = []] =
          segment * SEGMENT_TURNS < tail.from ? await keyTurns(channel, session, [segment]) : [[]];
        const turns = [...stored.filter((t) => t.seq >= floor && t.seq < tail.from), ...tailTurns];
        writes.push(withTtl(segmentKey(channel, segment), turns));
        written = { segment, turns };
        session.tail = [];
        session.tailFrom = session.next;
      } else {
        session.tail = tailTurns;
        session.tailFrom = Math.min(tail.from, seq);
      }
      // Exactly `maxStoredTurns` stay readable; a segment key goes once every turn in it is past them.
      session.first = Math.max(session.first, session.next - options.maxStoredTurns);
      const trimmed: number[] = [];
      for (let s = segmentOf(floor); (s + 1) * SEGMENT_TURNS <= session.first; s++) trimmed.push(s);
      const keepsState = Object.keys(session.derived).length > 0;
      if (trimmed.length > 0 && keepsState) {
        // A summary may hold their words: who said them stays known (see `archivedTurns`).
        const gone = (await keyTurns(channel, session, trimmed)).flat().filter((t) => t.seq >= floor);
        const archive = await grownArchive(kv, channel, session.archived, gone);
        writes.push(withTtl(archiveKey(channel), archive));
        session.archived = archive.length;
      }
      // Turns past the limit still in the oldest segment key count as archived (see `archivedTurns`).
      if (keepsState && physicalFloor(session.first) < session.first)
        session.archived = Math.max(session.archived ?? 0, 1);
      for (const s of trimmed) cacheOf(session).delete(s);
      const drop = trimmed.map((s) => segmentKey(channel, s));
      await commit(channel, session, { renewed, entries: writes, drop });
      // Cached only once committed: a failed write leaves the seq to be written again differently.
      if (written) remember(channel, session, written.segment, written.turns);
      return turn;
    },
    async amend(channel, given, turn) {
      const session = upgradeRecord(given);
      if (turn.seq < session.first || turn.seq >= session.next) return;
      const tail = tailOf(session);
      if (turn.seq >= tail.from) {
        session.tail = tail.turns.map((t) => (t.seq === turn.seq ? turn : t));
        session.tailFrom = tail.from;
        await commit(channel, session);
        return;
      }
      const segment = segmentOf(turn.seq);
      const [existing = []] = await keyTurns(channel, session, [segment]);
      const updated = existing.map((t) => (t.seq === turn.seq ? turn : t));
      // A complete segment changes: the new version makes every process's cached copy stale.
      session.segmentsVersion += 1;
      await commit(channel, session, { entries: [withTtl(segmentKey(channel, segment), updated)] });
      remember(channel, session, segment, updated);
    },
    reader,
    async reset(channel, given, resetOptions) {
      const session = upgradeRecord(given);
      const dropped = session.next - session.first;
      const keys: string[] = [];
      if (dropped > 0) {
        for (let s = segmentOf(session.first); s <= segmentOf(session.next - 1); s++)
          keys.push(segmentKey(channel, s));
      }
      keys.push(...session.derivedKeys.map((name) => derivedKey(channel, name)));
      const outlives = resetOptions?.keepDerived === true && Object.keys(session.derived).length > 0;
      const entries: KvEntry[] = [];
      if (outlives && dropped > 0) {
        // The kept state (a summary) holds the dropped turns' words: remember who said them.
        const gone = [
          ...(await pastLimit(channel, session)),
          ...(await reader(channel, session).range(session.first, session.next)),
        ];
        const archive = await grownArchive(kv, channel, session.archived, gone);
        entries.push(withTtl(archiveKey(channel), archive));
        session.archived = archive.length;
      } else if (!outlives && session.archived) {
        keys.push(archiveKey(channel));
        session.archived = 0;
      }
      session.first = session.next;
      session.tail = [];
      session.tailFrom = session.next;
      // No key of the channel is left but the record, which so gets the whole time to live.
      session.ttlRenewedAt = now();
      if (!resetOptions?.keepDerived) session.derived = {};
      session.derivedKeys = [];
      session.lastActivity = now();
      segmentCache.delete(session);
      await commit(channel, session, { entries, drop: keys });
      return dropped;
    },
    async removeTurns(channel, session, drop) {
      return (await rewrite(channel, session, (t) => (drop(t) ? null : undefined))).removed.length;
    },
    rewriteTurns: (channel, session, change, rewriteOptions) =>
      rewrite(channel, session, change, rewriteOptions),
    async archivedTurns(channel, given) {
      const session = upgradeRecord(given);
      const waiting = (await pastLimit(channel, session)).map(entryOf);
      return [...(await readArchive(kv, channel, session.archived)), ...waiting];
    },
    async getDerived<T>(channel: string, name: string) {
      const staged = commits.staged<T>(channel, derivedKey(channel, name));
      return staged.found ? staged.value : kv.get<T>(derivedKey(channel, name));
    },
    async setDerived(channel, session, name, value) {
      commits.stage(channel, session, withTtl(derivedKey(channel, name), value));
      if (!session.derivedKeys.includes(name)) session.derivedKeys.push(name);
    },
    async deleteDerived(channel, session, names) {
      for (const name of names)
        commits.stage(channel, session, { key: derivedKey(channel, name), value: undefined });
      session.derivedKeys = session.derivedKeys.filter((name) => !names.includes(name));
    },
  };
}
