import { archiveKey, derivedKey, segmentKey, segmentOf } from "./keys.js";
import type { KvEntry } from "./kv.js";
import type { SessionRecord, Turn } from "./records.js";
import type { CommitWrites } from "./session-commit.js";

/** What a rewrite does with one stored turn: its new version, `null` to delete it, undefined to keep it. */
export type TurnChange = (turn: Turn) => Turn | null | undefined;

/** The turns a rewrite touched, as they were before it (with their old seqs). */
export interface TurnRewrite {
  readonly removed: readonly Turn[];
  readonly changed: readonly Turn[];
}

/** A rewrite as the state it keeps sees it: what was touched, and where an old seq lands in the new log. */
export interface RenumberedRewrite extends TurnRewrite {
  /** The new seq of the first kept turn at or after old seq `seq` (the new `next` past the last). */
  seqAfter(seq: number): number;
}

export interface RewriteOptions {
  /** Drops the derived entries even when no stored turn changes (the archive matched, say). */
  readonly dropDerived?: boolean | undefined;
  /**
   * The small strategy state (`session.derived`) to keep, given the old one: a summary that holds none
   * of the touched turns survives with its cursor moved. Unset or `{}`: every derived entry goes.
   */
  readonly keepState?:
    | ((before: Readonly<Record<string, unknown>>, rewrite: RenumberedRewrite) => Record<string, unknown>)
    | undefined;
}

/** What a rewrite needs from the store that owns the channel's keys. */
export interface RewriteIo {
  entry(key: string, value: unknown): KvEntry;
  readAll(channel: string, session: SessionRecord): Promise<Turn[]>;
  /** Commits the session with the new segments and the deletions, and forgets what was cached for it. */
  commit(channel: string, session: SessionRecord, writes: CommitWrites): Promise<void>;
}

/** How many of the ascending `seqs` are below `seq`. */
function countBelow(seqs: readonly number[], seq: number): number {
  let lo = 0;
  let hi = seqs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((seqs[mid] as number) < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Rewrites the channel's stored turns as `change` says (an edit, a deletion, `/memory forget-me`). Every
 * derived entry goes, since it may quote the old words, except the state `keepState` keeps; strategies
 * rebuild. Kept turns are renumbered after the old log, so seqs only grow and no cache keyed by seq turns
 * stale. The new segments, the record and the deletions go out in one fenced commit.
 */
export async function rewriteTurns(
  io: RewriteIo,
  channel: string,
  session: SessionRecord,
  change: TurnChange,
  options: RewriteOptions = {},
): Promise<TurnRewrite> {
  const all = await io.readAll(channel, session);
  const removed: Turn[] = [];
  const changed: Turn[] = [];
  const kept: Turn[] = [];
  const keptOld: number[] = [];
  for (const turn of all) {
    const next = change(turn);
    if (next === null) {
      removed.push(turn);
      continue;
    }
    if (next !== undefined) changed.push(turn);
    kept.push(next ?? turn);
    keptOld.push(turn.seq);
  }
  const rewrite: TurnRewrite = { removed, changed };
  if (removed.length === 0 && changed.length === 0 && !options.dropDerived) return rewrite;
  const base = session.next;
  const segments = new Map<number, Turn[]>();
  kept.forEach((t, i) => {
    const seq = base + i;
    const list = segments.get(segmentOf(seq)) ?? [];
    list.push({ ...t, seq });
    segments.set(segmentOf(seq), list);
  });
  // Written in the record's commit, all or none: a crash or a lost race leaves the old log as it was.
  const entries = [...segments].map(([segment, turns]) => io.entry(segmentKey(channel, segment), turns));
  const old: string[] = [];
  for (let s = segmentOf(session.first); s <= segmentOf(session.next - 1); s++) {
    if (!segments.has(s)) old.push(segmentKey(channel, s));
  }
  const derived = session.derivedKeys.map((name) => derivedKey(channel, name));
  const before = session.derived;
  session.first = base;
  session.next = base + kept.length;
  // Every kept turn is in a segment key now; the tail starts afresh.
  session.tail = [];
  session.tailFrom = session.next;
  session.segmentsVersion = (session.segmentsVersion ?? 0) + 1;
  session.derived =
    options.keepState?.(before, { ...rewrite, seqAfter: (seq) => base + countBelow(keptOld, seq) }) ?? {};
  session.derivedKeys = [];
  // The archive says what kept state was built from; with none kept, it says nothing any more.
  const dropArchive = Object.keys(session.derived).length === 0 && (session.archived ?? 0) > 0;
  if (dropArchive) session.archived = 0;
  await io.commit(channel, session, {
    entries,
    drop: [...old, ...derived, ...(dropArchive ? [archiveKey(channel)] : [])],
  });
  return rewrite;
}
