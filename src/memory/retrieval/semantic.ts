import type { EmbeddingPort } from "../../core/embeddings.js";
import { StoreUnavailableError } from "../../core/errors.js";
import type { Turn } from "../../core/turn.js";
import { recordUsage } from "../../core/usage.js";
import { TopMatches } from "../../search/top.js";
import type { MemoryContext, MemoryLogger } from "../types.js";
import { type RetrievalState, readRetrieval, writeRetrieval } from "./state.js";
import { asStored, cosine, type VectorStore } from "./vectors.js";

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

/** Vectors of turns that were pending, embedded with a message; stored by the next append. */
export interface FreshVectors {
  readonly entries: ReadonlyArray<{ seq: number; vector: readonly number[] }>;
  /** Every stored turn below this has a vector once `entries` are stored. */
  readonly upTo: number;
}

/**
 * Stored turns ranked by cosine similarity to the message, best first; empty when embedding fails.
 * The turns still without a vector (the previous answer, in steady state) are embedded in the same
 * call as the message and returned as `fresh`, so an exchange makes one embedding call, not two.
 */
export async function semanticRanking(
  ctx: MemoryContext,
  embedder: EmbeddingPort,
  vectors: VectorStore,
  state: RetrievalState,
  limit: number,
  logger: MemoryLogger,
): Promise<{ ranking: number[]; fresh?: FreshVectors }> {
  try {
    const pending =
      state.embedded < ctx.session.next
        ? await ctx.turns.range(
            state.embedded,
            Math.min(ctx.session.next, state.embedded + EMBED_BATCH_TURNS),
          )
        : [];
    const [query, ...found] = await embed(ctx, embedder, [ctx.query, ...pending.map(embedText)]);
    const fresh = pending.map((turn, i) => ({ seq: turn.seq, vector: found[i] as number[] }));
    const q = Float64Array.from(query ?? []);
    const norm = Math.sqrt(q.reduce((sum, x) => sum + x * x, 0)) || 1;
    const top = new TopMatches(limit);
    for (const v of await vectors.all(ctx, state.embedded)) top.offer(v.seq, cosine(q, norm, v));
    for (const f of fresh) top.offer(f.seq, cosine(q, norm, asStored(f.seq, f.vector)));
    const upTo = Math.max(state.embedded, (pending.at(-1)?.seq ?? -1) + 1);
    return { ranking: top.seqs, fresh: { entries: fresh, upTo } };
  } catch (error) {
    if (error instanceof StoreUnavailableError) throw error;
    logger.warn({ err: error, channel: ctx.channel }, "query embedding failed; ranking by full text only");
    return { ranking: [] };
  }
}

/** Stores vectors embedded with a message and counts them as embedded (before the session commits). */
export async function storeFresh(
  ctx: MemoryContext,
  vectors: VectorStore,
  fresh: FreshVectors,
): Promise<void> {
  if (fresh.entries.length > 0) await vectors.add(ctx, fresh.entries);
  const state = readRetrieval(ctx.session);
  if (fresh.upTo > state.embedded) writeRetrieval(ctx.session, { ...state, embedded: fresh.upTo });
  await vectors.dropBelow(ctx, ctx.session.first);
}
