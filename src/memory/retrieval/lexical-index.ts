import MiniSearch, { type AsPlainObject } from "minisearch";
import type { Turn } from "../../store/channel-store.js";
import type { MemoryContext } from "../types.js";
import { INDEX_OPTIONS, type IndexDoc } from "./index-options.js";
import type { LruCache } from "./lru.js";
import { logName } from "./state.js";

/**
 * The index is kept in two sizes so that a turn never rewrites an index of the whole history:
 * a turn is added to a small chunk (rewritten per turn, at most `INDEX_CHUNK_TURNS` documents), and
 * once a block of `INDEX_BLOCK_TURNS` turns is complete it is indexed once as a block and its chunks
 * are deleted. A search reads the blocks and chunks; those that can no longer change come from a cache.
 */
export const INDEX_CHUNK_TURNS = 32;
export const INDEX_BLOCK_TURNS = 256;

/** A ranked match: the turn's seq and its BM25 score within its block or chunk. */
export interface Match {
  readonly seq: number;
  readonly score: number;
}

const chunkOf = (seq: number) => Math.floor(seq / INDEX_CHUNK_TURNS);
const blockOf = (seq: number) => Math.floor(seq / INDEX_BLOCK_TURNS);
const chunkName = (chunk: number) => `ix:c${chunk}`;
const blockName = (block: number) => `ix:b${block}`;
const CHUNKS_PER_BLOCK = INDEX_BLOCK_TURNS / INDEX_CHUNK_TURNS;
const docOf = (turn: Turn): IndexDoc => ({
  id: turn.seq,
  text: `${turn.user.name} ${turn.text}`,
  reply: turn.reply ?? "",
});

async function readIndex(ctx: MemoryContext, name: string): Promise<MiniSearch<IndexDoc>> {
  const stored = await ctx.store.getDerived<AsPlainObject>(ctx.channel, name);
  return stored ? MiniSearch.loadJS(stored, INDEX_OPTIONS) : new MiniSearch(INDEX_OPTIONS);
}

/** The channel's full-text index (MiniSearch, BM25+), stored as blocks and chunks beside the turn log. */
export interface ChunkedIndex {
  /** Indexes contiguous turns, oldest first (replacing any with the same seq). */
  add(ctx: MemoryContext, turns: readonly Turn[]): Promise<void>;
  /** The best matches among turns with `first <= seq < indexed`, best first. */
  search(ctx: MemoryContext, query: string, limit: number, indexed: number): Promise<Match[]>;
  /** Deletes chunks a complete block replaced and entries whose turns all left the log. */
  cleanup(ctx: MemoryContext, indexed: number): Promise<void>;
}

export function createChunkedIndex(
  cache: (ctx: MemoryContext) => LruCache<MiniSearch<IndexDoc>>,
): ChunkedIndex {
  /** Builds a complete block once, from the given turns plus any earlier ones of the block in the log. */
  async function writeBlock(ctx: MemoryContext, block: number, given: readonly Turn[]) {
    const start = Math.max(block * INDEX_BLOCK_TURNS, ctx.session.first);
    const earlier = given[0] && given[0].seq > start ? await ctx.turns.range(start, given[0].seq) : [];
    const index = new MiniSearch(INDEX_OPTIONS);
    index.addAll([...earlier, ...given].map(docOf));
    await ctx.store.setDerived(ctx.channel, ctx.session, blockName(block), index.toJSON());
  }

  async function writeChunk(ctx: MemoryContext, chunk: number, turns: readonly Turn[]) {
    const index = await readIndex(ctx, chunkName(chunk));
    for (const turn of turns) {
      if (index.has(turn.seq)) index.discard(turn.seq);
      index.add(docOf(turn));
    }
    await ctx.store.setDerived(ctx.channel, ctx.session, chunkName(chunk), index.toJSON());
  }

  const sealed = async (ctx: MemoryContext, name: string) => {
    const lru = cache(ctx);
    const key = `${ctx.channel}\u0000${logName(ctx.session)}\u0000${name}`;
    const hit = lru.get(key);
    if (hit) return hit;
    const loaded = await readIndex(ctx, name);
    lru.set(key, loaded);
    return loaded;
  };

  return {
    async add(ctx, turns) {
      const last = turns.at(-1);
      if (!last) return;
      const groups = new Map<string, { block: boolean; n: number; turns: Turn[] }>();
      for (const turn of turns) {
        const block = blockOf(turn.seq);
        const complete = (block + 1) * INDEX_BLOCK_TURNS <= last.seq + 1;
        const n = complete ? block : chunkOf(turn.seq);
        const key = `${complete}:${n}`;
        const group = groups.get(key) ?? { block: complete, n, turns: [] };
        group.turns.push(turn);
        groups.set(key, group);
      }
      for (const group of groups.values()) {
        if (group.block) await writeBlock(ctx, group.n, group.turns);
        else await writeChunk(ctx, group.n, group.turns);
      }
    },
    async search(ctx, query, limit, indexed) {
      const { first } = ctx.session;
      if (indexed <= first || limit <= 0) return [];
      const reads: Array<Promise<MiniSearch<IndexDoc>>> = [];
      for (let b = blockOf(first); b <= blockOf(indexed - 1); b++) {
        if ((b + 1) * INDEX_BLOCK_TURNS <= indexed) {
          reads.push(sealed(ctx, blockName(b)));
          continue;
        }
        const from = Math.max(chunkOf(first), b * CHUNKS_PER_BLOCK);
        for (let c = from; c <= chunkOf(indexed - 1); c++) {
          const done = (c + 1) * INDEX_CHUNK_TURNS <= indexed;
          reads.push(done ? sealed(ctx, chunkName(c)) : readIndex(ctx, chunkName(c)));
        }
      }
      const matches: Match[] = [];
      for (const index of await Promise.all(reads)) {
        for (const hit of index.search(query)) {
          const seq = Number(hit.id);
          if (seq >= first && seq < indexed) matches.push({ seq, score: hit.score });
        }
      }
      return matches.sort((a, b) => b.score - a.score || b.seq - a.seq).slice(0, limit);
    },
    async cleanup(ctx, indexed) {
      const { first } = ctx.session;
      const stale = ctx.session.derivedKeys.filter((name) => {
        const match = /^ix:([bc])(\d+)$/.exec(name);
        if (!match) return false;
        const n = Number(match[2]);
        if (match[1] === "b") return (n + 1) * INDEX_BLOCK_TURNS <= first;
        const blockDone = (blockOf(n * INDEX_CHUNK_TURNS) + 1) * INDEX_BLOCK_TURNS <= indexed;
        return blockDone || (n + 1) * INDEX_CHUNK_TURNS <= first;
      });
      await ctx.store.deleteDerived(ctx.channel, ctx.session, stale);
    },
  };
}
