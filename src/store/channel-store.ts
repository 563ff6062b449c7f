import type { KeyValueStore } from "./kv.js";
import type { LedgerRecord } from "./ledger-record.js";

/** Turns per stored segment: an exchange rewrites one segment, never the whole history. */
export const SEGMENT_TURNS = 64;

/** One message in a channel and, when the bot answered it, the reply. */
export interface Turn {
  /** Position in the channel's log; increases forever, also across resets. */
  readonly seq: number;
  /** Epoch milliseconds when the message arrived. */
  readonly ts: number;
  readonly user: { readonly id: string; readonly name: string };
  readonly text: string;
  /** The bot's answer; absent for messages it only listened to or could not deliver. */
  readonly reply?: string;
  /** Prompt tokens this turn costs when replayed, counted once when it was saved. */
  readonly tokens: number;
}

/** What a new turn needs; `seq` is assigned by the log. */
export type NewTurn = Omit<Turn, "seq">;

/** Calls and tokens of one kind of model use. */
export interface UsageCounts {
  promptTokens: number;
  completionTokens: number;
  calls: number;
}

/**
 * Token use recorded on the session so `/memory show` and `/memory stats` need no extra read. The
 * top-level numbers are the total of every call; `byPurpose` splits them (reply, summary, embedding).
 */
export interface UsageTotals extends UsageCounts {
  byPurpose?: Partial<Record<string, UsageCounts>>;
  /** By day, purpose and model, with the provider-or-estimate split (`src/core/ledger.ts`). */
  ledger?: LedgerRecord;
}

/** The small per-channel record read on every exchange; the turns live in segments beside it. */
export interface SessionRecord {
  readonly v: 1;
  /** The channel's chosen memory mode; unset means the configured default. */
  mode?: string;
  /** The channel's chosen window size for window-like modes. */
  windowTurns?: number;
  /** Seq of the oldest turn still stored. */
  first: number;
  /** Seq the next turn will get; `next - first` turns are stored. */
  next: number;
  createdAt: number;
  lastActivity: number;
  usage: UsageTotals;
  /** Small state owned by memory strategies (a running summary and its cursor, for instance). */
  derived: Record<string, unknown>;
  /** Names of larger derived entries stored under their own keys, deleted on reset. */
  derivedKeys: string[];
}

/** Reads a channel's turns; every read is bounded by what is asked for, not by history length. */
export interface TurnReader {
  /** The last `limit` stored turns, oldest first. */
  recent(limit: number): Promise<Turn[]>;
  /** Turns from newest to oldest, one segment read at a time, until the caller stops. */
  newestFirst(): AsyncGenerator<Turn>;
  /** Turns with `from <= seq < to`, oldest first. */
  range(from: number, to: number): Promise<Turn[]>;
}

export interface ChannelStoreOptions {
  /** Oldest turns are dropped, a segment at a time, once a channel holds more than this. */
  readonly maxStoredTurns: number;
  /** Keyv TTL on every channel key: a safety net behind the idle sweep. Unset: no expiry. */
  readonly ttlMs?: number | undefined;
  readonly now?: (() => number) | undefined;
}

const sessionKey = (channel: string) => `s:${channel}`;
const segmentKey = (channel: string, segment: number) => `t:${channel}:${segment}`;
const derivedKey = (channel: string, name: string) => `d:${channel}:${name}`;
const segmentOf = (seq: number) => Math.floor(seq / SEGMENT_TURNS);

function newSession(now: number): SessionRecord {
  return {
    v: 1,
    first: 0,
    next: 0,
    createdAt: now,
    lastActivity: now,
    usage: { promptTokens: 0, completionTokens: 0, calls: 0 },
    derived: {},
    derivedKeys: [],
  };
}

/**
 * Per-channel sessions and turn logs over any key-value store. The session record is the commit
 * point: a segment written by an exchange whose session write failed holds a turn past `next`,
 * which every read ignores and the next append overwrites, so nothing is ever half saved.
 */
export interface ChannelStore {
  load(channel: string): Promise<SessionRecord>;
  save(channel: string, session: SessionRecord): Promise<void>;
  /**
   * Appends a turn and commits the session. `beforeCommit` runs after the turn is written and before
   * the session is saved, so strategies can update derived data within the same commit.
   */
  append(
    channel: string,
    session: SessionRecord,
    turn: NewTurn,
    beforeCommit?: (turn: Turn) => Promise<void>,
  ): Promise<Turn>;
  /** Rewrites a stored turn in place (same seq), e.g. to drop an answer that could not be delivered. */
  amend(channel: string, session: SessionRecord, turn: Turn): Promise<void>;
  reader(channel: string, session: SessionRecord): TurnReader;
  /**
   * Forgets turns and derived data; keeps the channel's settings. With `keepDerived`, the small
   * strategy state (a summary) survives: the idle sweep's "summarize" action. Returns the turns dropped.
   */
  reset(channel: string, session: SessionRecord, options?: { keepDerived?: boolean }): Promise<number>;
  /**
   * Deletes the stored turns `drop` picks (a user's `/memory forget-me`) and every derived entry, which
   * may have been built from them; strategies rebuild from the turns that remain. Kept turns are
   * renumbered after the old log, so seqs still only grow and no cache keyed by seq turns stale.
   * Returns the turns deleted.
   */
  removeTurns(channel: string, session: SessionRecord, drop: (turn: Turn) => boolean): Promise<number>;
  getDerived<T>(channel: string, name: string): Promise<T | undefined>;
  /** Stores a larger derived entry; the caller saves the session afterwards to commit its name. */
  setDerived(channel: string, session: SessionRecord, name: string, value: unknown): Promise<void>;
  /** Deletes derived entries a strategy no longer needs (data built from turns that were dropped). */
  deleteDerived(channel: string, session: SessionRecord, names: readonly string[]): Promise<void>;
}

export function createChannelStore(kv: KeyValueStore, options: ChannelStoreOptions): ChannelStore {
  const now = options.now ?? Date.now;
  const ttl = options.ttlMs;

  async function readSegments(channel: string, segments: number[]): Promise<Turn[][]> {
    const values = await kv.getMany<Turn[]>(segments.map((s) => segmentKey(channel, s)));
    return values.map((v) => v ?? []);
  }

  function reader(channel: string, session: SessionRecord): TurnReader {
    const { first, next } = session;
    const inRange = (t: Turn, from: number, to: number) => t.seq >= from && t.seq < to;
    const range = async (from: number, to: number): Promise<Turn[]> => {
      const lo = Math.max(from, first);
      const hi = Math.min(to, next);
      if (lo >= hi) return [];
      const segments: number[] = [];
      for (let s = segmentOf(lo); s <= segmentOf(hi - 1); s++) segments.push(s);
      const chunks = await readSegments(channel, segments);
      return chunks.flat().filter((t) => inRange(t, lo, hi));
    };
    return {
      range,
      recent: (limit) => range(Math.max(first, next - Math.max(0, limit)), next),
      async *newestFirst() {
        if (next <= first) return;
        for (let s = segmentOf(next - 1); s >= segmentOf(first); s--) {
          const [chunk = []] = await readSegments(channel, [s]);
          for (let i = chunk.length - 1; i >= 0; i--) {
            const turn = chunk[i];
            if (turn && inRange(turn, first, next)) yield turn;
          }
        }
      },
    };
  }

  return {
    async load(channel) {
      return (await kv.get<SessionRecord>(sessionKey(channel))) ?? newSession(now());
    },
    async save(channel, session) {
      await kv.set(sessionKey(channel), session, ttl);
    },
    async append(channel, session, input, beforeCommit) {
      const seq = session.next;
      const segment = segmentOf(seq);
      const [existing = []] = await readSegments(channel, [segment]);
      const turn: Turn = { ...input, seq };
      const kept = existing.filter((t) => t.seq < seq && t.seq >= session.first);
      kept.push(turn);
      await kv.set(segmentKey(channel, segment), kept, ttl);
      await beforeCommit?.(turn);

      session.next = seq + 1;
      session.lastActivity = Math.max(session.lastActivity, input.ts);
      const dropped: string[] = [];
      while (session.next - session.first > options.maxStoredTurns) {
        const oldest = segmentOf(session.first);
        dropped.push(segmentKey(channel, oldest));
        session.first = (oldest + 1) * SEGMENT_TURNS;
      }
      await kv.set(sessionKey(channel), session, ttl);
      await kv.delete(dropped);
      return turn;
    },
    async amend(channel, session, turn) {
      if (turn.seq < session.first || turn.seq >= session.next) return;
      const segment = segmentOf(turn.seq);
      const [existing = []] = await readSegments(channel, [segment]);
      await kv.set(
        segmentKey(channel, segment),
        existing.map((t) => (t.seq === turn.seq ? turn : t)),
        ttl,
      );
    },
    reader,
    async reset(channel, session, resetOptions) {
      const dropped = session.next - session.first;
      const keys: string[] = [];
      if (dropped > 0) {
        for (let s = segmentOf(session.first); s <= segmentOf(session.next - 1); s++)
          keys.push(segmentKey(channel, s));
      }
      keys.push(...session.derivedKeys.map((name) => derivedKey(channel, name)));
      session.first = session.next;
      if (!resetOptions?.keepDerived) session.derived = {};
      session.derivedKeys = [];
      session.lastActivity = now();
      await kv.set(sessionKey(channel), session, ttl);
      await kv.delete(keys);
      return dropped;
    },
    async removeTurns(channel, session, drop) {
      const all = await reader(channel, session).range(session.first, session.next);
      const kept = all.filter((t) => !drop(t));
      const removed = all.length - kept.length;
      if (removed === 0) return 0;
      const base = session.next;
      const segments = new Map<number, Turn[]>();
      kept.forEach((t, i) => {
        const seq = base + i;
        const list = segments.get(segmentOf(seq)) ?? [];
        list.push({ ...t, seq });
        segments.set(segmentOf(seq), list);
      });
      // The old log's last segment may also hold the first new turns: keep its old turns there until
      // the session commits, so a crash in between leaves the old log readable.
      const shared = segmentOf(base);
      const sharedOld = all.filter((t) => segmentOf(t.seq) === shared);
      const write = (withOld: boolean) =>
        [...segments].map(([segment, turns]) => ({
          key: segmentKey(channel, segment),
          value: withOld && segment === shared ? [...sharedOld, ...turns] : turns,
          ...(ttl === undefined ? {} : { ttlMs: ttl }),
        }));
      await kv.setMany(write(true));
      const old: string[] = [];
      for (let s = segmentOf(session.first); s <= segmentOf(session.next - 1); s++) {
        if (!segments.has(s)) old.push(segmentKey(channel, s));
      }
      const derived = session.derivedKeys.map((name) => derivedKey(channel, name));
      session.first = base;
      session.next = base + kept.length;
      session.derived = {};
      session.derivedKeys = [];
      await kv.set(sessionKey(channel), session, ttl);
      await kv.delete([...old, ...derived]);
      // Now the forgotten words go from the shared segment too.
      if (sharedOld.length > 0 && segments.has(shared)) {
        await kv.setMany(write(false).filter((e) => e.key === segmentKey(channel, shared)));
      }
      return removed;
    },
    getDerived: (channel, name) => kv.get(derivedKey(channel, name)),
    async setDerived(channel, session, name, value) {
      await kv.set(derivedKey(channel, name), value, ttl);
      if (!session.derivedKeys.includes(name)) session.derivedKeys.push(name);
    },
    async deleteDerived(channel, session, names) {
      if (names.length === 0) return;
      await kv.delete(names.map((name) => derivedKey(channel, name)));
      session.derivedKeys = session.derivedKeys.filter((name) => !names.includes(name));
    },
  };
}
