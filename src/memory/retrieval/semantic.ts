import type { EmbeddingPort } from "../../core/embeddings.js";
import { recordUsage } from "../../core/usage.js";
import type { Turn } from "../../store/channel-store.js";
import { StoreUnavailableError } from "../../store/kv.js";
import type { MemoryContext, MemoryLogger } from "../types.js";
import { type RetrievalState, readRetrieval, writeRetrieval } from "./state.js";
import { cosine, type VectorStore } from "./vectors.js";

/** Turns one append embeds at most: a switch into retrieval catches up over several messages. */
export const EMBED_BATCH_TURNS = 64;
const EMBED_TEXT_CHARS = 4000;

const embedText = (turn: Turn) =>
  `${turn.user.name}: ${turn.text}${turn.reply ? `\n${turn.reply}` : ""}`.slice(0, EMBED_TEXT_CHARS);

async function embed(ctx: MemoryContext, embedder: EmbeddingPort, texts: string[]): Promise<number[][]> {
  const result = await embedder.embed(texts);
  recordUsage(
    ctx.session.usage,
    "embedding",
    { promptTokens: result.tokens, completionTokens: 0, source: "estimate" },
    { model: embedder.model, at: ctx.now() },
  );
  if (result.vectors.length !== texts.length) {
    throw new Error(`embedding model returned ${result.vectors.length} vectors for ${texts.length} texts`);
  }
  return result.vectors;
}

/**
 * Embeds the oldest turns without a vector (the new turn, in steady state) and stores their
 * vectors. A failed call is logged and retried with the next turn; store errors still surface.
 */
export async function embedPending(
  ctx: MemoryContext,
  embedder: EmbeddingPort,
  vectors: VectorStore,
  latest: Turn,
  logger: MemoryLogger,
): Promise<void> {
  const state = readRetrieval(ctx.session);
  const end = Math.min(latest.seq + 1, state.embedded + EMBED_BATCH_TURNS);
  const turns = await ctx.turns.range(state.embedded, Math.min(end, latest.seq));
  if (end > latest.seq) turns.push(latest);
  const last = turns.at(-1);
  if (!last) return;
  try {
    const found = await embed(ctx, embedder, turns.map(embedText));
    await vectors.add(
      ctx,
      turns.map((turn, i) => ({ seq: turn.seq, vector: found[i] as number[] })),
    );
    writeRetrieval(ctx.session, { ...readRetrieval(ctx.session), embedded: last.seq + 1 });
    await vectors.dropBelow(ctx, ctx.session.first);
  } catch (error) {
    if (error instanceof StoreUnavailableError) throw error;
    logger.warn(
      { err: error, channel: ctx.channel },
      "embedding failed; those turns rank by full text for now",
    );
  }
}

/** Stored turns ranked by cosine similarity to the message, best first; empty when embedding fails. */
export async function semanticRanking(
  ctx: MemoryContext,
  embedder: EmbeddingPort,
  vectors: VectorStore,
  state: RetrievalState,
  limit: number,
  logger: MemoryLogger,
): Promise<number[]> {
  try {
    const [query] = await embed(ctx, embedder, [ctx.query]);
    const q = Float64Array.from(query ?? []);
    const norm = Math.sqrt(q.reduce((sum, x) => sum + x * x, 0)) || 1;
    const scored = (await vectors.all(ctx, state.embedded)).map((v) => ({
      seq: v.seq,
      score: cosine(q, norm, v),
    }));
    return scored
      .sort((a, b) => b.score - a.score)
      .slice(0, limit)
      .map((s) => s.seq);
  } catch (error) {
    if (error instanceof StoreUnavailableError) throw error;
    logger.warn({ err: error, channel: ctx.channel }, "query embedding failed; ranking by full text only");
    return [];
  }
}
