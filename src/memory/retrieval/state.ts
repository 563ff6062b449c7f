import { randomBytes } from "node:crypto";
import type { SessionRecord } from "../../core/session.js";
import { detectLanguage } from "../../search/analyze.js";
import type { Language } from "../../search/languages.js";

/** The turn index format this code writes (`turn-index.ts`); format 1 is `legacy/`. */
export const INDEX_FORMAT = 2;

/** How far the retrieval index and the vectors reach, kept in `session.derived` (commits with the turn). */
export interface RetrievalState {
  /** Every stored turn with seq below this is in the full-text index (of `format`). */
  readonly indexed: number;
  /** Every stored turn with seq below this has a stored vector (when embeddings are on). */
  readonly embedded: number;
  /**
   * Names this log for the in-process cache of sealed index and vector blocks. A session record that
   * disappears (expiry, eviction) comes back without it, with seqs from 0 again, and so gets a new
   * name: blocks cached for the old log are never taken for the new one's. Absent in older records.
   */
  readonly log?: string;
  /** The format of the index `indexed` counts; absent in records of format 1. */
  readonly format?: number;
  /**
   * While a large channel's format-1 index still serves: every stored turn below this is in the new
   * index being built (see `migrate.ts`).
   */
  readonly rebuilt?: number;
  /** Indexed turns per language: the channel's usual language, for texts too short to tell. */
  readonly languages?: Readonly<Record<string, number>>;
}

const KEY = "retrieval";

const seqOr = (value: unknown, floor: number) =>
  Math.max(floor, Number.isInteger(value) ? (value as number) : 0);

export function readRetrieval(session: SessionRecord): RetrievalState {
  const value = session.derived[KEY] as Partial<RetrievalState> | undefined;
  const floor = session.first;
  return {
    indexed: seqOr(value?.indexed, floor),
    embedded: seqOr(value?.embedded, floor),
    ...(typeof value?.log === "string" ? { log: value.log } : {}),
    ...(Number.isInteger(value?.format) ? { format: value?.format as number } : {}),
    ...(Number.isInteger(value?.rebuilt) ? { rebuilt: seqOr(value?.rebuilt, floor) } : {}),
    ...(value?.languages && typeof value.languages === "object" ? { languages: value.languages } : {}),
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

/** The channel's usual language: the most frequent among its indexed turns, once there are a few. */
export function usualLanguage(state: RetrievalState): Language | undefined {
  let best: string | undefined;
  let count = 2;
  for (const [language, n] of Object.entries(state.languages ?? {})) {
    if (language !== "und" && n > count) {
      best = language;
      count = n;
    }
  }
  return best as Language | undefined;
}

/** Counts a newly indexed turn's language (kept small: halved once the counts grow large). */
export function countLanguage(state: RetrievalState, language: string): RetrievalState {
  const counts: Record<string, number> = { ...state.languages };
  counts[language] = (counts[language] ?? 0) + 1;
  if (Object.values(counts).reduce((a, b) => a + b, 0) > 1000)
    for (const key of Object.keys(counts)) counts[key] = Math.floor((counts[key] as number) / 2);
  return { ...state, languages: counts };
}

/** Texts a guess at a channel's language reads at most. */
const GUESS_TEXTS = 256;

/**
 * Counts the languages of texts about to be indexed in bulk (a switch into retrieval, a rebuild) when the
 * channel has no usual language yet, so short lines among them ("sudo reboot") are stemmed as the rest.
 */
export function withGuessedLanguage(state: RetrievalState, texts: readonly string[]): RetrievalState {
  if (usualLanguage(state) !== undefined) return state;
  let next = state;
  for (const text of texts.slice(0, GUESS_TEXTS)) next = countLanguage(next, detectLanguage(text));
  return next;
}
