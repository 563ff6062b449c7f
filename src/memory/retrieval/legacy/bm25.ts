import MiniSearch, { type AsPlainObject } from "minisearch";
import type { TopMatches } from "../../../search/top.js";
import { INDEX_OPTIONS } from "./index-options.js";

/**
 * Searches a stored MiniSearch index (its `toJSON` form, as the store holds it) without loading it
 * into MiniSearch: the postings are decoded once into typed arrays and scored in place. The scores
 * are MiniSearch's own for `INDEX_OPTIONS` (BM25+ per field with its boosts, prefix matches weighted
 * by length, times the number of query terms a document matched), so rankings do not change; what
 * goes is MiniSearch's per-document result objects and its sort of every match, the bulk of a search
 * when a common word matches every turn.
 */

interface Postings {
  /** Document positions (into `seqs`) holding the term in one field. */
  readonly docs: Uint32Array;
  readonly freqs: Float64Array;
}

/** One decoded index (a block or a chunk). */
export interface SearchableIndex {
  /** Turn seq of each document position. */
  readonly seqs: Float64Array;
  /** Per field, the length MiniSearch recorded for each document position. */
  readonly fieldLengths: readonly Float64Array[];
  readonly averageFieldLength: readonly number[];
  readonly documentCount: number;
  /** All terms, sorted, for prefix matches. */
  readonly terms: readonly string[];
  /** Per term, per field id, the postings of live documents (absent: none in that field). */
  readonly postings: ReadonlyMap<string, ReadonlyArray<Postings | undefined>>;
}

const FIELDS = INDEX_OPTIONS.fields;
const SEARCH = INDEX_OPTIONS.searchOptions ?? {};
const BOOSTS = FIELDS.map((field) => SEARCH.boost?.[field] || 1);
const PREFIX_WEIGHT = 0.375;
const BM25 = { k: 1.2, b: 0.7, d: 0.5 };
const tokenize = MiniSearch.getDefault("tokenize") as (text: string) => string[];
const processTerm = INDEX_OPTIONS.processTerm as (term: string) => string | null;
const usesPrefix = SEARCH.prefix as (term: string) => boolean;

const emptyIndex: SearchableIndex = {
  seqs: new Float64Array(0),
  fieldLengths: FIELDS.map(() => new Float64Array(0)),
  averageFieldLength: FIELDS.map(() => 0),
  documentCount: 0,
  terms: [],
  postings: new Map(),
};

/** Decodes a stored index (MiniSearch serialization version 1 or 2). */
export function decodeIndex(stored: AsPlainObject | undefined): SearchableIndex {
  if (!stored) return emptyIndex;
  const position = new Map<string, number>();
  const ids = Object.entries(stored.documentIds);
  const seqs = new Float64Array(ids.length);
  ids.forEach(([shortId, id], i) => {
    position.set(shortId, i);
    seqs[i] = Number(id);
  });
  const fieldIds = FIELDS.map((field) => stored.fieldIds[field]);
  const fieldLengths = FIELDS.map(() => new Float64Array(ids.length));
  for (const [shortId, lengths] of Object.entries(stored.fieldLength)) {
    const i = position.get(shortId);
    if (i === undefined) continue;
    fieldIds.forEach((fieldId, f) => {
      (fieldLengths[f] as Float64Array)[i] = fieldId === undefined ? 0 : (lengths[fieldId] ?? 0);
    });
  }
  const postings = new Map<string, Array<Postings | undefined>>();
  for (const [term, data] of stored.index) {
    const byField = fieldIds.map((fieldId) => {
      let entry = fieldId === undefined ? undefined : (data as Record<string, unknown>)[String(fieldId)];
      if (stored.serializationVersion === 1 && entry) entry = (entry as { ds: unknown }).ds;
      if (!entry) return undefined;
      const docs: number[] = [];
      const freqs: number[] = [];
      // A discarded document's postings stay until vacuumed; MiniSearch skips them, and so does this.
      for (const [shortId, freq] of Object.entries(entry as Record<string, number>)) {
        const i = position.get(shortId);
        if (i === undefined) continue;
        docs.push(i);
        freqs.push(freq);
      }
      return docs.length === 0
        ? undefined
        : { docs: Uint32Array.from(docs), freqs: Float64Array.from(freqs) };
    });
    if (byField.some((p) => p)) postings.set(term, byField);
  }
  return {
    seqs,
    fieldLengths,
    averageFieldLength: fieldIds.map((fieldId) =>
      fieldId === undefined ? 0 : (stored.averageFieldLength[fieldId] ?? 0),
    ),
    documentCount: stored.documentCount,
    terms: [...postings.keys()].sort(),
    postings,
  };
}

/** A parsed query: its distinct terms, how often each occurs, and whether it also matches as a prefix. */
export interface Query {
  readonly terms: ReadonlyArray<{ readonly term: string; readonly count: number; readonly prefix: boolean }>;
}

export function parseQuery(text: string): Query {
  const counts = new Map<string, number>();
  for (const token of tokenize(text)) {
    const term = processTerm(token);
    if (term) counts.set(term, (counts.get(term) ?? 0) + 1);
  }
  return { terms: [...counts].map(([term, count]) => ({ term, count, prefix: usesPrefix(term) })) };
}

function firstAtOrAfter(terms: readonly string[], term: string): number {
  let lo = 0;
  let hi = terms.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((terms[mid] as string) < term) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Scores the index's documents for the query as MiniSearch's `search` would and offers those with
 * `from <= seq < to` to `top`.
 */
export function searchIndex(
  index: SearchableIndex,
  query: Query,
  from: number,
  to: number,
  top: TopMatches,
): void {
  const n = index.seqs.length;
  if (n === 0 || query.terms.length === 0) return;
  const scores = new Float64Array(n);
  const matched = new Uint16Array(n);
  const stamp = new Int32Array(n).fill(-1);
  const N = index.documentCount;
  const add = (t: number, postings: ReadonlyArray<Postings | undefined>, weight: number) => {
    for (let f = 0; f < postings.length; f++) {
      const p = postings[f];
      if (!p) continue;
      const matching = p.docs.length;
      const idf = Math.log(1 + (N - matching + 0.5) / (matching + 0.5));
      const lengths = index.fieldLengths[f] as Float64Array;
      const avg = index.averageFieldLength[f] as number;
      const w = weight * (BOOSTS[f] as number);
      for (let j = 0; j < matching; j++) {
        const doc = p.docs[j] as number;
        const tf = p.freqs[j] as number;
        const norm = tf + BM25.k * (1 - BM25.b + (BM25.b * (lengths[doc] as number)) / avg);
        scores[doc] = (scores[doc] as number) + w * idf * (BM25.d + (tf * (BM25.k + 1)) / norm);
        if (stamp[doc] !== t) {
          stamp[doc] = t;
          matched[doc] = (matched[doc] as number) + 1;
        }
      }
    }
  };
  query.terms.forEach(({ term, count, prefix }, t) => {
    const exact = index.postings.get(term);
    if (exact) add(t, exact, count);
    if (!prefix) return;
    const { terms } = index;
    for (let i = firstAtOrAfter(terms, term); i < terms.length; i++) {
      const other = terms[i] as string;
      if (!other.startsWith(term)) break;
      const distance = other.length - term.length;
      if (distance === 0) continue;
      const weight = (PREFIX_WEIGHT * other.length) / (other.length + 0.3 * distance);
      add(t, index.postings.get(other) ?? [], count * weight);
    }
  });
  for (let doc = 0; doc < n; doc++) {
    const quality = matched[doc] as number;
    if (quality === 0) continue;
    const seq = index.seqs[doc] as number;
    if (seq >= from && seq < to) top.offer(seq, (scores[doc] as number) * quality);
  }
}
