// The store as the core and memory strategies use it: a channel's session record and turn log, with
// every write one fenced commit of the record. The implementation is src/store/channel-store.ts.

import type { SessionRecord } from "./session.js";
import type { NewTurn, Turn, TurnReader } from "./turn.js";

/**
 * Who said a turn that left the store while state derived from it lives on: the idle sweep's
 * "summarize" folds turns into the summary and drops them, and old segments go past the stored-turn
 * limit. Only the ids are kept, never the words, so a later deletion or `/memory forget-me` can still
 * tell that the summary holds what it removes.
 */
export interface ArchivedTurn {
  readonly userId: string;
  readonly messageId?: string;
  readonly thread?: string;
}

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

/**
 * Per-channel sessions and turn logs over any key-value store. The turns of the segment still
 * filling ride in the session record (its tail), so an exchange is one read and one write of that
 * record; a segment key is written when its 64 turns are complete. Every write of a channel is one
 * fenced commit of its record (`session-commit.ts`): segments, derived entries and deletions land with
 * it or not at all, and only if the record is still the one this session was loaded from (and, on
 * Redis, the channel's lock still this process's), so no process ever overwrites another's turn.
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
   * Deletes the stored turns `drop` picks and every derived entry, which may have been built from them;
   * strategies rebuild from the turns that remain. Returns the turns deleted. See `rewriteTurns`.
   */
  removeTurns(channel: string, session: SessionRecord, drop: (turn: Turn) => boolean): Promise<number>;
  /**
   * Replaces or deletes stored turns as `change` says (an edit, a deletion, `/memory forget-me`) and
   * drops every derived entry but the state `options.keepState` keeps. Kept turns are renumbered after
   * the old log, so seqs still only grow and no cache keyed by seq turns stale. Nothing is written when
   * no turn changes (unless `options.dropDerived`). Returns the turns touched, as they were.
   */
  rewriteTurns(
    channel: string,
    session: SessionRecord,
    change: TurnChange,
    options?: RewriteOptions,
  ): Promise<TurnRewrite>;
  /**
   * Who said the turns that left the store while derived state lives on (`reset` with `keepDerived`, old
   * segments past `maxStoredTurns`): their ids only, so a deletion can tell the summary holds them.
   */
  archivedTurns(channel: string, session: SessionRecord): Promise<ArchivedTurn[]>;
  /** A derived entry, as staged by this exchange or else as stored. */
  getDerived<T>(channel: string, name: string): Promise<T | undefined>;
  /**
   * Stages a larger derived entry; the session's next commit (`save`, `append`, which the caller runs
   * afterwards) writes it with the record, so an exchange that loses the race writes none of it.
   */
  setDerived(channel: string, session: SessionRecord, name: string, value: unknown): Promise<void>;
  /** Stages the deletion of derived entries a strategy no longer needs (data built from dropped turns). */
  deleteDerived(channel: string, session: SessionRecord, names: readonly string[]): Promise<void>;
}
