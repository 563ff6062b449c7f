import type { ChoiceVerb } from "./choice-settings.js";
import type { LedgerRecord } from "./ledger-record.js";
import type { Turn } from "./turn.js";

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

/**
 * What a channel chose with `/memory persona`, `model` and the choice settings (`threads`, `scope`,
 * `listen`: one field each); an unset field follows the deployment's setting. Plain strings: the core
 * checks each against what is allowed now (a model taken off `CHANNEL_MODELS` falls back to the
 * default), so an old record never breaks a channel.
 */
export type ChannelSetup = {
  persona?: string;
  model?: string;
} & { [K in ChoiceVerb]?: string };

/** The small per-channel record read on every exchange; the turns live in segments beside it. */
export interface SessionRecord {
  readonly v: 1;
  /** The channel's chosen memory mode; unset means the configured default. */
  mode?: string;
  /** The channel's chosen window size for window-like modes. */
  windowTurns?: number;
  /** The channel's own set-up, in the channel's record (a thread's follows its channel's); kept by reset. */
  setup?: ChannelSetup;
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
  /**
   * The newest turns, those of the segment still filling, kept in the record itself: an exchange
   * reads and writes them with the session, in one value, instead of rewriting a segment key. Absent
   * in records written before it existed (their filling segment is all in its key).
   */
  tail?: Turn[];
  /** Seq of the first turn `tail` may hold; the filling segment's turns before it are in its key. */
  tailFrom?: number;
  /**
   * Names this log. A record that disappears (expiry, eviction) and comes back starts a new log, at
   * seq 0 again, under a new name, so caches of complete segments never mix the two logs.
   */
  logId?: string;
  /** Counts rewrites of complete segments (an amended answer, removed turns): cached copies go stale. */
  segmentsVersion?: number;
  /**
   * When every key of the channel last had its time to live renewed (with `ttlMs` set). The record
   * itself expires with them, so a channel's keys go together, never its turns under a live record.
   */
  ttlRenewedAt?: number;
  /**
   * Entries in the channel's archive (`archive.ts`): turns gone while derived state built from them
   * lives on, or at least 1 while turns past `MEMORY_MAX_STORED_TURNS` wait in the oldest segment key
   * (no longer read, deleted with their segment). 0 or absent: none, so nothing is read.
   */
  archived?: number;
}
