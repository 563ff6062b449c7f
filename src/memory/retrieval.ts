import type { ChannelStore } from "../core/channel-store.js";
import { messageTokens, RETRIEVED_HEADER, retrievedLine } from "../core/prompt.js";
import type { Turn } from "../core/turn.js";
import { createLruCache, type LruCache } from "../util/lru.js";
import { ARCHIVED_SUMMARY_OVERHEAD_TOKENS, takeNewestWithin } from "./fit.js";
import { rankTurns } from "./retrieval/conversation-rank.js";
import { createChunkedIndex } from "./retrieval/legacy/lexical-index.js";
import { createMigration } from "./retrieval/migrate.js";
import { fuseRankings } from "./retrieval/rank.js";
import { embedPending, type FreshVectors, semanticRanking, storeFresh } from "./retrieval/semantic.js";
import {
  countLanguage,
  INDEX_FORMAT,
  type RetrievalState,
  readRetrieval,
  usualLanguage,
  withGuessedLanguage,
  writeRetrieval,
} from "./retrieval/state.js";
import { analyzeTurn } from "./retrieval/turn-doc.js";
import { createTurnIndex, INDEX_BLOCK_TURNS } from "./retrieval/turn-index.js";
import { createVectorStore } from "./retrieval/vectors.js";
import { archivedSummary } from "./summary/state.js";
import type { Memory, MemoryContext, MemoryServices } from "./types.js";

/** The latest turns retrieval replays verbatim besides the retrieved ones. */
export const RETRIEVAL_RECENT_TURNS = 4;
/** Decoded index blocks and vector blocks kept per store (a cache, see lru.ts). */
const CACHE_ENTRIES = 512;
/** Ranked turns considered for a prompt: more than any budget holds, so skipping a long one leaves room. */
const CANDIDATES = 256;

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
 * last few turns. Ranking needs no API: a full-text index (`src/search`, analyzed for the language of
 * each turn) kept in the store and read as a conversation (`conversation-rank.ts`). Retrieved turns
 * fill the budget they are given; `MEMORY_RETRIEVAL_K` caps their number when set. With an embedder,
 * each turn is embedded once and the rankings fuse.
 */
export function createRetrievalMemory(services: MemoryServices): Memory {
  const { settings, embedder, logger } = services;
  const index = createTurnIndex(perStore());
  const legacy = createChunkedIndex(perStore());
  const migration = createMigration(index, legacy);
  const vectors = createVectorStore(perStore());
  /** Vectors a message's embedding call made for pending turns, stored by the append that follows. */
  const freshBySession = new WeakMap<object, FreshVectors>();
  const cap = settings.retrievalK;

  /** Indexes turns [state.indexed, upTo) (a switch from another mode leaves a gap) plus `latest`. */
  async function catchUp(ctx: MemoryContext, upTo: number, latest?: Turn): Promise<RetrievalState> {
    let state = await migration.prepare(ctx);
    if (migration.active(state)) return state;
    let indexed = state.indexed;
    while (indexed < upTo) {
      const to = Math.min((Math.floor(indexed / INDEX_BLOCK_TURNS) + 1) * INDEX_BLOCK_TURNS, upTo);
      const turns = await ctx.turns.range(indexed, to);
      state = withGuessedLanguage(
        state,
        turns.map((t) => t.text),
      );
      await index.add(ctx, turns, usualLanguage(state));
      indexed = to;
    }
    const hint = usualLanguage(state);
    let next: RetrievalState = { ...state, indexed, format: INDEX_FORMAT };
    if (latest) {
      await index.add(ctx, [latest], hint);
      next = countLanguage(
        { ...next, indexed: latest.seq + 1 },
        analyzeTurn(latest, ctx.countTokens, hint).language,
      );
    }
    writeRetrieval(ctx.session, next);
    return next;
  }

  async function rank(ctx: MemoryContext, state: RetrievalState, before: number) {
    const hint = usualLanguage(state);
    const lexical = migration.active(state)
      ? await migration.rank(ctx, state, CANDIDATES, before, hint)
      : rankTurns(await index.parts(ctx, state.indexed, hint), {
          query: ctx.query,
          now: ctx.now(),
          from: ctx.session.first,
          before,
          limit: CANDIDATES,
          hint,
          asker: ctx.asker,
        });
    const costs = new Map(lexical.flatMap((r) => (r.cost === undefined ? [] : [[r.seq, r.cost] as const])));
    if (!embedder) return { order: lexical.map((r) => r.seq), costs };
    const semantic = await semanticRanking(ctx, embedder, vectors, state, CANDIDATES, logger);
    if (semantic.fresh) freshBySession.set(ctx.session, semantic.fresh);
    // Only turns that matched take part in the fusion: a filler (ranked by its session or its recency
    // alone) would lift a poor vector neighbour over a full-text match. Fillers follow, as ranked.
    const fused = fuseRankings(
      [
        lexical.filter((r) => r.matched !== false).map((r) => r.seq),
        semantic.ranking.filter((seq) => seq < before),
      ],
      CANDIDATES,
    );
    const taken = new Set(fused);
    const order = [...fused, ...lexical.filter((r) => !taken.has(r.seq)).map((r) => r.seq)];
    return { order, costs };
  }

  return {
    name: "retrieval",
    description: `the most relevant earlier turns for each message, as many as the budget holds${cap ? ` (at most ${cap})` : ""}, plus the last ${RETRIEVAL_RECENT_TURNS}`,
    async load(ctx, budgetTokens) {
      // What the idle sweep's "summarize" left of turns it cleared: shown, so IDLE_ACTION=summarize pays off here too.
      const archived = archivedSummary(ctx.session);
      const summary = archived?.text;
      const budget = Math.max(
        0,
        budgetTokens - (archived ? archived.tokens + ARCHIVED_SUMMARY_OVERHEAD_TOKENS : 0),
      );
      const before = readRetrieval(ctx.session);
      const state = await catchUp(ctx, ctx.session.next);
      // A catch-up (the first message after a switch) wrote index entries: commit their names now,
      // so a reset finds them even if this exchange is never saved (a probe, /memory show).
      if (state.indexed !== before.indexed || state.format !== before.format)
        await ctx.store.save(ctx.channel, ctx.session);
      const latest = await ctx.turns.recent(RETRIEVAL_RECENT_TURNS);
      const recent = await takeNewestWithin(latest.reverse(), Math.floor(budget / 2));
      if (!ctx.query.trim()) return { summary, retrieved: [], recent };
      // The memory message's own cost: its header and the chat format's overhead per message.
      let room =
        budget -
        recent.reduce((sum, t) => sum + t.tokens, 0) -
        messageTokens(ctx.countTokens, `${RETRIEVED_HEADER}\n`);
      if (room <= 0) return { summary, retrieved: [], recent };
      const { order, costs } = await rank(ctx, state, recent[0]?.seq ?? ctx.session.next);
      const retrieved: Turn[] = [];
      for (const turn of await ctx.turns.bySeq(order)) {
        if (cap !== undefined && retrieved.length >= cap) break;
        const cost = costs.get(turn.seq) ?? ctx.countTokens(`${retrievedLine(turn)}\n`);
        if (cost > room) continue;
        room -= cost;
        retrieved.push(turn);
      }
      return { summary, retrieved: retrieved.sort((a, b) => a.seq - b.seq), recent };
    },
    async afterAppend(ctx, turn) {
      // Chunks a block replaced go once the block is committed (the state read before this turn).
      const state = readRetrieval(ctx.session);
      if (!migration.active(state)) await index.cleanup(ctx, state.indexed);
      await catchUp(ctx, turn.seq, turn);
      if (!embedder) return;
      // After an answered message, whose embedding call also embedded the pending turns, this turn
      // waits for the next message's call; a turn only listened to is embedded now, with any pending.
      const fresh = freshBySession.get(ctx.session);
      freshBySession.delete(ctx.session);
      if (fresh) await storeFresh(ctx, vectors, fresh);
      else await embedPending(ctx, embedder, vectors, turn, logger);
    },
    afterReply: (ctx) => migration.step(ctx),
    async describe(ctx) {
      const state = readRetrieval(ctx.session);
      const stored = ctx.session.next - ctx.session.first;
      const indexed = Math.max(0, Math.min(state.indexed, ctx.session.next) - ctx.session.first);
      const language = usualLanguage(state);
      const lines = [
        migration.active(state)
          ? `Full-text index: being rebuilt in a new format, ${Math.max(0, (state.rebuilt ?? ctx.session.first) - ctx.session.first)} of ${stored} turns so far (the old index answers meanwhile)`
          : `Full-text index: ${indexed} of ${stored} turns (brought up to date on the next message)${language ? `; usual language ${language}` : ""}`,
        `Each message retrieves the earlier turns that match it best, as many as fit the prompt budget${cap ? ` (at most ${cap})` : ""}; /memory show has no message, so it retrieves none.`,
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
