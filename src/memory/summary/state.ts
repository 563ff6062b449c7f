import type { SessionRecord } from "../../core/session.js";

/**
 * A channel's running summary, kept in `session.derived` so it commits with the turn that caused it
 * and a restarted (or second) process reads the same summary. Both summary modes share it, so
 * switching between them keeps what was summarized.
 */
export interface SummaryState {
  /** The summary text; empty until the first batch was summarized. */
  readonly text: string;
  /** Tokens of `text`, counted once when it was written. */
  readonly tokens: number;
  /** Seq of the first turn the summary does not cover yet. */
  readonly through: number;
  /** How many batches were summarized. */
  readonly updates: number;
  /** Consecutive failed summary calls; the turns stay verbatim meanwhile. */
  readonly failures: number;
}

const KEY = "summary";
const EMPTY: SummaryState = { text: "", tokens: 0, through: 0, updates: 0, failures: 0 };

const isState = (value: unknown): value is SummaryState =>
  typeof value === "object" &&
  value !== null &&
  typeof (value as SummaryState).text === "string" &&
  Number.isInteger((value as SummaryState).through);

/** The summary state within a session's derived state, or an empty one. */
export function summaryIn(derived: Readonly<Record<string, unknown>>): SummaryState {
  const value = derived[KEY];
  return isState(value) ? { ...EMPTY, ...value } : EMPTY;
}

/** The channel's summary state, or an empty one (new channel, reset, or unreadable data). */
export const readSummary = (session: SessionRecord): SummaryState => summaryIn(session.derived);

/** Derived state holding only `state`: what a rewrite keeps when the summary survives it. */
export const summaryOnly = (state: SummaryState): Record<string, unknown> => ({ [KEY]: state });

export function writeSummary(session: SessionRecord, state: SummaryState): void {
  session.derived[KEY] = state;
}

/**
 * The summary of turns that are no longer stored, when it covers exactly everything before the oldest
 * stored turn: what the idle sweep's "summarize" action leaves. Every mode shows it, since nothing it
 * says is repeated by a stored turn.
 */
export function archivedSummary(session: SessionRecord): SummaryState | undefined {
  const state = readSummary(session);
  return state.text && state.through === session.first ? state : undefined;
}
