import type { CollectionStats, Ranker } from "./ranker.js";
import type { SearchSegment } from "./segment.js";

/**
 * A distinct term of a query and how much it counts (its repeats, or a boost). Terms in one slot are
 * forms of the same word of the question: a document matching several of them counts that word once
 * in `matched`.
 */
export interface QueryTerm {
  readonly term: string;
  readonly weight: number;
  readonly slot: number;
}

/** Scores of every document of several segments, in order: segment 0's documents first. */
export interface ScoredCollection {
  /** Where each segment's documents start in `scores`. */
  readonly offsets: readonly number[];
  readonly scores: Float64Array;
  /** How many distinct slots (words of the question) each document holds. */
  readonly matched: Uint16Array;
  readonly stats: CollectionStats;
}

/** Collection statistics over segments searched together (so every block is scored alike). */
export function collectionStats(segments: readonly SearchSegment[], fieldCount: number): CollectionStats {
  let documents = 0;
  const totals = new Array<number>(fieldCount).fill(0);
  for (const s of segments) {
    documents += s.ids.length;
    for (let f = 0; f < fieldCount; f++) totals[f] = (totals[f] as number) + (s.totalLengths[f] ?? 0);
  }
  return { documents, averageLength: totals.map((t) => (documents === 0 ? 0 : t / documents)) };
}

/**
 * Scores every document of `segments` for the query with collection-wide statistics: a term's weight
 * comes from its frequency in all segments, so a rare word is rare however the history is cut.
 */
export function scoreSegments(
  segments: readonly SearchSegment[],
  query: readonly QueryTerm[],
  ranker: Ranker,
  fieldCount: number,
): ScoredCollection {
  const offsets: number[] = [];
  let n = 0;
  for (const s of segments) {
    offsets.push(n);
    n += s.ids.length;
  }
  const scores = new Float64Array(n);
  const matched = new Uint16Array(n);
  const stats = collectionStats(segments, fieldCount);
  const stride = fieldCount + 1;
  const frequency = new Float64Array(n);
  const lastSlot = new Int32Array(n).fill(-1);
  for (const { term, weight, slot } of query) {
    let df = 0;
    const lists = segments.map((s) => s.postings.get(term));
    for (const list of lists) if (list) df += list.length / stride;
    if (df === 0) continue;
    const termWeight = ranker.termWeight(df, stats) * weight;
    lists.forEach((list, i) => {
      if (!list) return;
      const segment = segments[i] as SearchSegment;
      const offset = offsets[i] as number;
      for (let p = 0; p < list.length; p += stride) {
        const position = list[p] as number;
        let tf = 0;
        for (let f = 0; f < fieldCount; f++) {
          const count = list[p + 1 + f] as number;
          if (count > 0)
            tf += ranker.fieldFrequency(
              f,
              count,
              (segment.lengths[f] as Float64Array)[position] as number,
              stats,
            );
        }
        frequency[offset + position] = tf;
      }
    });
    lists.forEach((list, i) => {
      if (!list) return;
      const offset = offsets[i] as number;
      for (let p = 0; p < list.length; p += stride) {
        const doc = offset + (list[p] as number);
        const tf = frequency[doc] as number;
        if (tf <= 0) continue;
        scores[doc] = (scores[doc] as number) + ranker.termScore(termWeight, tf);
        if (slot >= 0 && lastSlot[doc] !== slot) {
          lastSlot[doc] = slot;
          matched[doc] = (matched[doc] as number) + 1;
        }
        frequency[doc] = 0;
      }
    });
  }
  return { offsets, scores, matched, stats };
}
