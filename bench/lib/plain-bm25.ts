import MiniSearch from "minisearch";

/** A ranker over turns added one at a time: ids of earlier turns, best first. */
export interface TurnRanker {
  add(id: number, text: string): void;
  /** Ids best first (ties: newer first), only those below `before`, at most `limit`. */
  rank(query: string, before: number, limit: number): number[];
}

/**
 * Plain BM25 as a reference: MiniSearch with its defaults (split on spaces and punctuation,
 * lowercase, no stop words, no stemming, no prefix or fuzzy matches, BM25+ with k 1.2, b 0.7,
 * d 0.5, terms OR-ed), over each turn's "nick: text". What any project gets from a stock library in
 * ten lines: the product's ranking should beat it.
 */
export function createPlainBm25(): TurnRanker {
  const index = new MiniSearch<{ id: number; text: string }>({ fields: ["text"] });
  return {
    add(id, text) {
      index.add({ id, text });
    },
    rank(query, before, limit) {
      return index
        .search(query)
        .filter((r) => (r.id as number) < before)
        .sort((x, y) => y.score - x.score || (y.id as number) - (x.id as number))
        .slice(0, limit)
        .map((r) => r.id as number);
    },
  };
}
