/** What a ranker knows of the whole collection a search runs over (every segment together). */
export interface CollectionStats {
  readonly documents: number;
  /** Per field, the average document length in terms. */
  readonly averageLength: readonly number[];
}

/**
 * How a term's matches become a score, behind one seam so BM25 can be swapped. A document's score
 * for a term is `termScore(termWeight(df), Σ fieldFrequency(f, tf_f, length_f))`: field frequencies
 * are summed before saturation (BM25F), so a word said three times in one field counts less than
 * three different words.
 */
export interface Ranker {
  readonly name: string;
  /** The weight of a term found in `df` documents (an inverse document frequency). */
  termWeight(df: number, stats: CollectionStats): number;
  /** A field's contribution to the term's frequency in a document, normalized for the field's length. */
  fieldFrequency(field: number, tf: number, length: number, stats: CollectionStats): number;
  /** The document's score for the term from its combined frequency (> 0). */
  termScore(weight: number, frequency: number): number;
}

export interface Bm25Options {
  /** Saturation: how soon repeats stop adding (1.2 is the usual choice). */
  readonly k1?: number | undefined;
  /** Per field, how much a long document is discounted (0: not at all, 1: fully). */
  readonly b?: readonly number[] | undefined;
  /** Per field, the weight of a match in it. */
  readonly fieldWeights: readonly number[];
}

const DEFAULT_K1 = 1.2;
const DEFAULT_B = 0.75;

/** BM25F (Robertson and Zaragoza, 2009) with the non-negative idf of Lucene's BM25. */
export function createBm25Ranker(options: Bm25Options): Ranker {
  const k1 = options.k1 ?? DEFAULT_K1;
  const weights = options.fieldWeights;
  const b = weights.map((_, f) => options.b?.[f] ?? DEFAULT_B);
  return {
    name: "bm25f",
    termWeight: (df, stats) => Math.log(1 + (stats.documents - df + 0.5) / (df + 0.5)),
    fieldFrequency(field, tf, length, stats) {
      const avg = stats.averageLength[field] || 1;
      const bf = b[field] ?? DEFAULT_B;
      return ((weights[field] ?? 0) * tf) / (1 - bf + (bf * length) / avg);
    },
    termScore: (weight, frequency) => (weight * frequency * (k1 + 1)) / (k1 + frequency),
  };
}
