import type { RewriteOptions, TurnChange, TurnRewrite } from "../core/channel-store.js";
import type { KvEntry } from "../core/kv.js";
import type { Turn } from "../core/turn.js";
import { archiveKey, derivedKey, segmentKey, segmentOf } from "./keys.js";
import type { CommitWrites } from "./session-commit.js";
import type { CurrentRecord } from "./upgrade-record.js";

/** What a rewrite needs from the store that owns the channel's keys. */
export interface RewriteIo {
  entry(key: string, value: unknown): KvEntry;
  readAll(channel: string, session: CurrentRecord): Promise<Turn[]>;
  /** Commits the session with the new segments and the deletions, and forgets what was cached for it. */
  commit(channel: string, session: CurrentRecord, writes: CommitWrites): Promise<void>;
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
  session: CurrentRecord,
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
  session.segmentsVersion += 1;
  session.derived =
    options.keepState?.(before, { ...rewrite, seqAfter: (seq) => base + countBelow(keptOld, seq) }) ?? {};
  session.derivedKeys = [];
  // The archive says what kept state was built from; with none kept, it says nothing any more.
  const dropArchive = Object.keys(session.derived).length === 0 && session.archived > 0;
  if (dropArchive) session.archived = 0;
  await io.commit(channel, session, {
    entries,
    drop: [...old, ...derived, ...(dropArchive ? [archiveKey(channel)] : [])],
  });
  return rewrite;
}
