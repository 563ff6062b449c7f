/** Vectors for texts, in input order, and what producing them cost. */
export interface EmbeddingResult {
  readonly vectors: number[][];
  /** Input tokens, counted locally (embedding servers rarely report them through LangChain). */
  readonly tokens: number;
}

/**
 * The embedding seam: retrieval ranks with it when `EMBEDDINGS_MODEL` is set. Memory code calls
 * this and never imports a provider SDK, so tests and benchmarks can hand in any implementation.
 */
export interface EmbeddingPort {
  readonly model: string;
  embed(texts: readonly string[]): Promise<EmbeddingResult>;
}
