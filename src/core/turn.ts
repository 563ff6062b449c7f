// What a channel said, as the core and memory strategies see it: a turn, and the reader memory uses
// to get turns back. The store decides how they are laid out (segments, a tail in the record).

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
  /** The platform's id of the message, so an edit or a deletion finds it; absent in older turns. */
  readonly messageId?: string;
  /** The thread the message was in (Slack), so a deleted thread takes its turns with it. */
  readonly thread?: string;
  /** The text was edited after it was stored; with a `reply`, the reply answered the earlier text. */
  readonly edited?: boolean;
}

/** What a new turn needs; `seq` is assigned by the log. */
export type NewTurn = Omit<Turn, "seq">;

/** Reads a channel's turns; every read is bounded by what is asked for, not by history length. */
export interface TurnReader {
  /** The last `limit` stored turns, oldest first. */
  recent(limit: number): Promise<Turn[]>;
  /**
   * Turns from newest to oldest, a few segments per read, until the caller stops or, with `from`,
   * until the turn before `from` (which is then not read at all).
   */
  newestFirst(from?: number): AsyncGenerator<Turn>;
  /**
   * Turns from `from` on, oldest first, in the pieces the store reads them in (a segment), until the
   * caller stops: a bounded read however many turns wait (a summary catching up after a mode switch).
   */
  oldestFirst(from: number): AsyncGenerator<readonly Turn[]>;
  /** Turns with `from <= seq < to`, oldest first. */
  range(from: number, to: number): Promise<Turn[]>;
  /**
   * The stored turns with these seqs, in the order asked (seqs no longer stored are left out), each
   * piece of storage read once: what retrieval ranked, read back without knowing the store's layout.
   */
  bySeq(seqs: readonly number[]): Promise<Turn[]>;
}
