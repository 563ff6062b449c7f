import type { ChannelStore, Turn } from "../store/channel-store.js";
import { createLruCache, type LruCache } from "../util/lru.js";
import { takeNewestWithin } from "./fit.js";
import { createChunkedIndex, INDEX_BLOCK_TURNS } from "./retrieval/lexical-index.js";
import { fuseRankings } from "./retrieval/rank.js";
import { readTurns } from "./retrieval/read-turns.js";
import { embedPending, type FreshVectors, semanticRanking, storeFresh } from "./retrieval/semantic.js";
import { type RetrievalState, readRetrieval, writeRetrieval } from "./retrieval/state.js";
import { createVectorStore } from "./retrieval/vectors.js";
import type { Memory, MemoryContext, MemoryServices } from "./types.js";

/** The latest turns retrieval replays verbatim besides the retrieved ones. */
export const RETRIEVAL_RECENT_TURNS = 4;
/** Tokens a retrieved turn's line adds to the turn itself (date, bullet, "you answered"). */
const RETRIEVED_LINE_OVERHEAD_TOKENS = 14;
/** Decoded index chunks and vector blocks kept per store (a cache, see lru.ts). */
const CACHE_ENTRIES = 512;

function perStore<T>(): (ctx: MemoryContext) => LruCache<T> {
  const caches = new WeakMap<ChannelStore, LruCache<T>>();
  return (ctx) => {
    let cache = caches.get(ctx.store);
    if (!cache) {
      cache = createLruCache<T>(CACHE_ENTRIES);
      caches.set(ctx.store, cache);
    }
    return cache;
  };
}

/**
 * The most relevant earlier turns of the channel's whole history for the current message, plus the
 * last few turns. Ranking needs no API: a MiniSearch (BM25+) index kept in the store, updated per
 * turn in bounded chunks. With an embedder, each turn is embedded once and the two rankings fuse.
 */
export function createRetrievalMemory(services: MemoryServices): Memory {
  const { settings, embedder, logger } = services;
  const index = createChunkedIndex(perStore());
  const vectors = createVectorStore(perStore());
  /** Vectors a message's embedding call made for pending turns, stored by the append that follows. */
  const freshBySession = new WeakMap<object, FreshVectors>();

  /** Indexes turns [state.indexed, upTo) (a switch from another mode leaves a gap) plus `latest`. */
  async function catchUp(ctx: MemoryContext, upTo: number, latest?: Turn): Promise<RetrievalState> {
    const state = readRetrieval(ctx.session);
    let indexed = state.indexed;
    while (indexed < upTo) {
      const to = Math.min((Math.floor(indexed / INDEX_BLOCK_TURNS) + 1) * INDEX_BLOCK_TURNS, upTo);
      await index.add(ctx, await ctx.turns.range(indexed, to));
      indexed = to;
    }
    if (latest) {
      await index.add(ctx, [latest]);
      indexed = latest.seq + 1;
    }
    const next = { ...state, indexed };
    if (next.indexed !== state.indexed) writeRetrieval(ctx.session, next);
    return next;
  }

  async function rank(ctx: MemoryContext, state: RetrievalState, before: number): Promise<number[]> {
    const k = settings.retrievalK;
    const candidates = Math.max(4 * k, 32);
    const lexical = (await index.search(ctx, ctx.query, candidates, state.indexed))
      .map((m) => m.seq)
      .filter((seq) => seq < before);
    if (!embedder) return lexical.slice(0, k);
    const semantic = await semanticRanking(ctx, embedder, vectors, state, candidates, logger);
    if (semantic.fresh) freshBySession.set(ctx.session, semantic.fresh);
    return fuseRankings([lexical, semantic.ranking.filter((seq) => seq < before)], k);
  }

  return {
    name: "retrieval",
    description: `the most relevant earlier turns for each message (k=${settings.retrievalK}) plus the last ${RETRIEVAL_RECENT_TURNS}`,
    async load(ctx, budgetTokens) {
      const before = readRetrieval(ctx.session).indexed;
      const state = await catchUp(ctx, ctx.session.next);
      // A catch-up (the first message after a switch) wrote index entries: commit their names now,
      // so a reset finds them even if this exchange is never saved (a probe, /memory show).
      if (state.indexed !== before) await ctx.store.save(ctx.channel, ctx.session);
      const latest = await ctx.turns.recent(RETRIEVAL_RECENT_TURNS);
      const recent = await takeNewestWithin(latest.reverse(), Math.floor(budgetTokens / 2));
      if (!ctx.query.trim()) return { retrieved: [], recent };
      const ranked = await rank(ctx, state, recent[0]?.seq ?? ctx.session.next);
      let room = budgetTokens - recent.reduce((sum, t) => sum + t.tokens, 0);
      const retrieved: Turn[] = [];
      for (const turn of await readTurns(ctx, ranked)) {
        const cost = turn.tokens + RETRIEVED_LINE_OVERHEAD_TOKENS;
        if (cost > room) continue;
        room -= cost;
        retrieved.push(turn);
      }
      return { retrieved: retrieved.sort((a, b) => a.seq - b.seq), recent };
    },
    async afterAppend(ctx, turn) {
      // Chunks a block replaced go once the block is committed (the state read before this turn).
      await index.cleanup(ctx, readRetrieval(ctx.session).indexed);
      await catchUp(ctx, turn.seq, turn);
      if (!embedder) return;
      // After an answered message, whose embedding call also embedded the pending turns, this turn
      // waits for the next message's call; a turn only listened to is embedded now, with any pending.
      const fresh = freshBySession.get(ctx.session);
      freshBySession.delete(ctx.session);
      if (fresh) await storeFresh(ctx, vectors, fresh);
      else await embedPending(ctx, embedder, vectors, turn, logger);
    },
    async describe(ctx) {
      const state = readRetrieval(ctx.session);
      const stored = ctx.session.next - ctx.session.first;
      const indexed = Math.max(0, Math.min(state.indexed, ctx.session.next) - ctx.session.first);
      const lines = [
        `Full-text index: ${indexed} of ${stored} turns (brought up to date on the next message)`,
        `Each message retrieves up to ${settings.retrievalK} earlier turns; /memory show has no message, so it retrieves none.`,
      ];
      if (embedder) {
        const embedded = Math.max(0, Math.min(state.embedded, ctx.session.next) - ctx.session.first);
        lines.push(
          `Vectors (${embedder.model}): ${embedded} of ${stored} turns, ranked together with full text (an answered turn is embedded with the next message)`,
        );
      }
      return lines;
    },
  };
}
