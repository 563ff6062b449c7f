/**
 * An inverted index over a fixed set of documents, in two forms: stored (plain JSON, what the store
 * keeps) and decoded (typed arrays, what a search scores). A channel's history is many segments (one
 * per block of turns), written once and never changed, so a turn never rewrites an index of the whole
 * history; a search scores them together with collection-wide statistics (see `score.ts`).
 */

/** A document as the index takes it: its id and, per field, its analyzed terms (repeats kept). */
export interface AnalyzedDoc {
  readonly id: number;
  readonly fields: ReadonlyArray<readonly string[]>;
}

/** The stored form. Terms and postings are parallel arrays (a term is never an object key). */
export interface StoredSegment {
  readonly v: 2;
  /** Document ids, ascending. */
  readonly ids: number[];
  /** Per field, each document's length in terms. */
  readonly lengths: number[][];
  readonly terms: string[];
  /**
   * Per term, the documents holding it: `[gap, tf of field 0, tf of field 1, ...]` repeated, where gap
   * is the document's position minus the previous one's (the first is its position).
   */
  readonly postings: number[][];
}

/** The decoded form: positions are indexes into `ids`. */
export interface SearchSegment {
  readonly fieldCount: number;
  readonly ids: Float64Array;
  /** Per field, each document's length. */
  readonly lengths: readonly Float64Array[];
  /** Per field, the sum of `lengths` (for the collection's average length). */
  readonly totalLengths: readonly number[];
  /** Per term, `[position, tf field 0, ..., tf field n-1]` repeated, positions ascending. */
  readonly postings: ReadonlyMap<string, Uint32Array>;
}

/** Builds the stored form of documents given in ascending id order. */
export function buildSegment(docs: readonly AnalyzedDoc[], fieldCount: number): StoredSegment {
  const stride = fieldCount + 1;
  const byTerm = new Map<string, number[]>();
  const lengths = Array.from({ length: fieldCount }, () => new Array<number>(docs.length).fill(0));
  const last = new Map<string, number>();
  docs.forEach((doc, position) => {
    for (let f = 0; f < fieldCount; f++) {
      const terms = doc.fields[f] ?? [];
      (lengths[f] as number[])[position] = terms.length;
      for (const term of terms) {
        let list = byTerm.get(term);
        if (!list) {
          list = [];
          byTerm.set(term, list);
        }
        if (last.get(term) !== position) {
          const gap = position - (last.get(term) ?? 0);
          list.push(gap, ...new Array<number>(fieldCount).fill(0));
          last.set(term, position);
        }
        const at = list.length - stride + 1 + f;
        list[at] = (list[at] as number) + 1;
      }
    }
  });
  return {
    v: 2,
    ids: docs.map((d) => d.id),
    lengths,
    terms: [...byTerm.keys()],
    postings: [...byTerm.values()],
  };
}

/** Whether a stored value is a segment of this format (older stores hold other formats). */
export function isStoredSegment(value: unknown): value is StoredSegment {
  const s = value as Partial<StoredSegment> | undefined;
  return (
    s?.v === 2 &&
    Array.isArray(s.ids) &&
    Array.isArray(s.lengths) &&
    Array.isArray(s.terms) &&
    Array.isArray(s.postings)
  );
}

const EMPTY: SearchSegment = {
  fieldCount: 0,
  ids: new Float64Array(0),
  lengths: [],
  totalLengths: [],
  postings: new Map(),
};

/** Decodes a stored segment for scoring (an absent or foreign value decodes as empty). */
export function decodeSegment(stored: unknown): SearchSegment {
  if (!isStoredSegment(stored)) return EMPTY;
  const fieldCount = stored.lengths.length;
  const stride = fieldCount + 1;
  const postings = new Map<string, Uint32Array>();
  stored.terms.forEach((term, t) => {
    const raw = stored.postings[t] ?? [];
    const list = Uint32Array.from(raw);
    let position = 0;
    for (let i = 0; i < list.length; i += stride) {
      position += list[i] as number;
      list[i] = position;
    }
    postings.set(term, list);
  });
  const lengths = stored.lengths.map((l) => Float64Array.from(l));
  return {
    fieldCount,
    ids: Float64Array.from(stored.ids),
    lengths,
    totalLengths: lengths.map((l) => l.reduce((sum, x) => sum + x, 0)),
    postings,
  };
}
