import MiniSearch, { type AsPlainObject, type Options } from "minisearch";
import type { Turn } from "../../store/channel-store.js";
import type { MemoryContext } from "../types.js";
import type { LruCache } from "./lru.js";

/**
 * Turns per index chunk. An append rewrites only the chunk its turn falls in (at most this many
 * documents), never an index of the whole history; a search reads the chunks, and chunks that can
 * no longer change come from a cache.
 */
export const INDEX_CHUNK_TURNS = 256;

interface Doc {
  readonly id: number;
  readonly text: string;
  readonly reply: string;
}

/** A ranked match: the turn's seq and its BM25 score within its chunk. */
export interface Match {
  readonly seq: number;
  readonly score: number;
}

const STOPWORDS = new Set(
  (
    "a an and are as at be been but by can could did do does for from had has have he her him his how i if in into is it its " +
    "just me my no not of on or our she so than that the their them then there these they this to too up us was we were " +
    "what when where which who why will with would you your yes ok okay hi hello thanks lol about said say says"
  ).split(" "),
);

const OPTIONS: Options<Doc> = {
  fields: ["text", "reply"],
  storeFields: [],
  autoVacuum: false,
  processTerm: (term) => {
    const t = term.toLowerCase();
    return t.length < 2 || STOPWORDS.has(t) ? null : t;
  },
  searchOptions: { boost: { text: 1, reply: 0.4 }, prefix: (t) => t.length >= 5, combineWith: "OR" },
};

const chunkOf = (seq: number) => Math.floor(seq / INDEX_CHUNK_TURNS);
const chunkName = (chunk: number) => `ix:${chunk}`;
const docOf = (turn: Turn): Doc => ({
  id: turn.seq,
  text: `${turn.user.name} ${turn.text}`,
  reply: turn.reply ?? "",
});

async function readChunk(ctx: MemoryContext, chunk: number): Promise<MiniSearch<Doc>> {
  const stored = await ctx.store.getDerived<AsPlainObject>(ctx.channel, chunkName(chunk));
  return stored ? MiniSearch.loadJS(stored, OPTIONS) : new MiniSearch(OPTIONS);
}

/** The channel's full-text index (MiniSearch, BM25+), stored as chunks beside the turn log. */
export interface ChunkedIndex {
  /** Indexes turns (replacing any with the same seq); writes each chunk they touch once. */
  add(ctx: MemoryContext, turns: readonly Turn[]): Promise<void>;
  /** The best matches among turns with `first <= seq < indexed`, best first. */
  search(ctx: MemoryContext, query: string, limit: number, indexed: number): Promise<Match[]>;
  /** Deletes chunks whose turns all fell out of the log. */
  dropBelow(ctx: MemoryContext, first: number): Promise<void>;
}

export function createChunkedIndex(cache: (ctx: MemoryContext) => LruCache<MiniSearch<Doc>>): ChunkedIndex {
  const sealedChunk = async (ctx: MemoryContext, chunk: number) => {
    const lru = cache(ctx);
    const key = `${ctx.channel}\u0000${chunk}`;
    const hit = lru.get(key);
    if (hit) return hit;
    const loaded = await readChunk(ctx, chunk);
    lru.set(key, loaded);
    return loaded;
  };
  return {
    async add(ctx, turns) {
      const byChunk = new Map<number, Turn[]>();
      for (const turn of turns)
        byChunk.set(chunkOf(turn.seq), [...(byChunk.get(chunkOf(turn.seq)) ?? []), turn]);
      for (const [chunk, chunkTurns] of byChunk) {
        const index = await readChunk(ctx, chunk);
        for (const turn of chunkTurns) {
          if (index.has(turn.seq)) index.discard(turn.seq);
          index.add(docOf(turn));
        }
        await ctx.store.setDerived(ctx.channel, ctx.session, chunkName(chunk), index.toJSON());
      }
    },
    async search(ctx, query, limit, indexed) {
      const { first } = ctx.session;
      if (indexed <= first || limit <= 0) return [];
      const chunks: number[] = [];
      for (let c = chunkOf(first); c <= chunkOf(indexed - 1); c++) chunks.push(c);
      const indexes = await Promise.all(
        chunks.map((c) => ((c + 1) * INDEX_CHUNK_TURNS <= indexed ? sealedChunk(ctx, c) : readChunk(ctx, c))),
      );
      const matches: Match[] = [];
      for (const index of indexes) {
        for (const hit of index.search(query)) {
          const seq = Number(hit.id);
          if (seq >= first && seq < indexed) matches.push({ seq, score: hit.score });
        }
      }
      return matches.sort((a, b) => b.score - a.score || b.seq - a.seq).slice(0, limit);
    },
    async dropBelow(ctx, first) {
      const stale = ctx.session.derivedKeys.filter((name) => {
        const match = /^ix:(\d+)$/.exec(name);
        return match !== null && (Number(match[1]) + 1) * INDEX_CHUNK_TURNS <= first;
      });
      await ctx.store.deleteDerived(ctx.channel, ctx.session, stale);
    },
  };
}

export type { Doc as IndexDoc };
