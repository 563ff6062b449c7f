import { randomBytes } from "node:crypto";
import type { SessionRecord } from "../../store/channel-store.js";

/** How far the retrieval index and the vectors reach, kept in `session.derived` (commits with the turn). */
export interface RetrievalState {
  /** Every stored turn with seq below this is in the full-text index. */
  readonly indexed: number;
  /** Every stored turn with seq below this has a stored vector (when embeddings are on). */
  readonly embedded: number;
  /**
   * Names this log for the in-process cache of sealed index and vector blocks. A session record that
   * disappears (expiry, eviction) comes back without it, with seqs from 0 again, and so gets a new
   * name: blocks cached for the old log are never taken for the new one's. Absent in older records.
   */
  readonly log?: string;
}

const KEY = "retrieval";

export function readRetrieval(session: SessionRecord): RetrievalState {
  const value = session.derived[KEY] as Partial<RetrievalState> | undefined;
  const floor = session.first;
  return {
    indexed: Math.max(floor, Number.isInteger(value?.indexed) ? (value?.indexed as number) : 0),
    embedded: Math.max(floor, Number.isInteger(value?.embedded) ? (value?.embedded as number) : 0),
    ...(typeof value?.log === "string" ? { log: value.log } : {}),
  };
}

export function writeRetrieval(session: SessionRecord, state: RetrievalState): void {
  session.derived[KEY] = state;
}

/**
 * The name of the session's log for cache keys, given one (kept in `session.derived`, saved with the
 * session) when it has none yet: a record written before names existed, or a new or recreated session.
 */
export function logName(session: SessionRecord): string {
  const state = readRetrieval(session);
  if (state.log) return state.log;
  const log = randomBytes(9).toString("base64url");
  writeRetrieval(session, { ...state, log });
  return log;
}
