import type { HeldLease } from "../core/coordination.js";
import { CommitConflictError } from "../core/errors.js";
import type { KeyValueStore, KvEntry, Revision } from "../core/kv.js";
import type { SessionRecord } from "../core/session.js";
import { ABSENT } from "./revision.js";

/** A staged deletion of a derived entry. */
const DELETED: unique symbol = Symbol("deleted");

/** The lease this process holds on a channel (Redis), if any. */
export type LeaseOf = (channel: string) => HeldLease | undefined;

/**
 * Every write of a channel goes out in one fenced commit of its session record (see
 * `KeyValueStore.commit`): it proves the record is the one this session was loaded from and, on Redis,
 * that the channel's lock is still this process's. Derived entries a strategy stores during an exchange
 * (index blocks, vectors) are staged here and written in that same commit, so an exchange that loses
 * the race writes nothing at all: not its turn, not an index chunk that would overwrite the winner's.
 */
export interface SessionCommits {
  /** Reads the record; its revision is remembered for the session's commits. Drops what was staged. */
  load(channel: string, key: string): Promise<SessionRecord | undefined>;
  commit(channel: string, session: SessionRecord, record: KvEntry, writes?: CommitWrites): Promise<void>;
  /** Stages a derived write (or, with `undefined`, a deletion) for the session's next commit. */
  stage(channel: string, session: SessionRecord, entry: KvEntry | { key: string; value: undefined }): void;
  /** A staged value for `key`: `{ found: false }` when nothing is staged. */
  staged<T>(channel: string, key: string): { found: true; value: T | undefined } | { found: false };
}

/** What a commit writes besides the record and the staged derived entries. */
export interface CommitWrites {
  /** Unchanged values written again for a fresh time to live; anything newer for a key wins. */
  readonly renewed?: readonly KvEntry[];
  /** New values (a complete segment, the archive); they win over staged ones. */
  readonly entries?: readonly KvEntry[];
  /** Keys deleted with the commit; a key also written is deleted, not written. */
  readonly drop?: readonly string[];
}

interface Staging {
  readonly session: SessionRecord;
  readonly entries: Map<string, KvEntry | typeof DELETED>;
}

/** Entries by key, the last one for a key winning; none for a key that is also dropped. */
function merged(lists: ReadonlyArray<readonly KvEntry[]>, drop: ReadonlySet<string>): KvEntry[] {
  const byKey = new Map<string, KvEntry>();
  for (const list of lists) for (const e of list) if (!drop.has(e.key)) byKey.set(e.key, e);
  return [...byKey.values()];
}

export function createSessionCommits(kv: KeyValueStore, lease?: LeaseOf): SessionCommits {
  const revisions = new WeakMap<SessionRecord, Revision>();
  const staging = new Map<string, Staging>();
  return {
    async load(channel, key) {
      staging.delete(channel);
      const read = await kv.getVersioned<SessionRecord>(key);
      if (read.value) revisions.set(read.value, read.revision);
      return read.value;
    },
    async commit(channel, session, record, { renewed = [], entries = [], drop = [] } = {}) {
      const held = lease?.(channel);
      const lost = held?.lostReason();
      const stage = staging.get(channel);
      staging.delete(channel);
      if (lost) throw new CommitConflictError("lease-lost", `Not committed: ${lost}`);
      const staged = stage?.session === session ? stage.entries : new Map<string, KvEntry | typeof DELETED>();
      const drops = new Set(drop);
      for (const [key, e] of staged) if (e === DELETED) drops.add(key);
      const writes = [...staged.values()].filter((e): e is KvEntry => e !== DELETED);
      const revision = await kv.commit({
        record: { ...record, value: record.value as object },
        // A session this store did not load (made by hand) can only be new: a record already there wins.
        expected: revisions.get(session) ?? ABSENT,
        entries: merged([renewed, writes, entries], drops),
        drop: [...drops],
        lease: held && { key: held.key, token: held.token },
      });
      revisions.set(session, revision);
    },
    stage(channel, session, entry) {
      let stage = staging.get(channel);
      if (stage?.session !== session) {
        stage = { session, entries: new Map() };
        staging.set(channel, stage);
      }
      stage.entries.set(entry.key, entry.value === undefined ? DELETED : (entry as KvEntry));
    },
    staged<T>(channel: string, key: string) {
      const e = staging.get(channel)?.entries.get(key);
      if (e === undefined) return { found: false as const };
      return { found: true as const, value: e === DELETED ? undefined : (e.value as T) };
    },
  };
}
