import MiniSearch, { type AsPlainObject } from "minisearch";
import type { Turn } from "../../../core/turn.js";
import { TopMatches } from "../../../search/top.js";
import type { LruCache } from "../../../util/lru.js";
import type { MemoryContext } from "../../types.js";
import { logName } from "../state.js";
import { decodeIndex, parseQuery, type SearchableIndex, searchIndex } from "./bm25.js";
import { INDEX_OPTIONS, type IndexDoc } from "./index-options.js";

/**
 * The index format before `../turn-index.ts` (format 1: MiniSearch blocks under `ix:` names). A large
 * channel indexed in it keeps being served from it while its new index is built in the background
 * (see `../migrate.ts`); tests and the before-and-after benchmark write it with `add`.
 *
 * The index is kept in two sizes so that a turn never rewrites an index of the whole history:
 * each complete chunk of `INDEX_CHUNK_TURNS` turns is indexed once, and once a block of
 * `INDEX_BLOCK_TURNS` turns is complete it is indexed once as a block and its chunks are deleted. The
 * turns of the chunk still filling are indexed when searched, from the log. A search reads the
 * blocks and chunks once per process (they never change again) and keeps them decoded in a cache.
 * (Stores written before kept the filling chunk too, rewritten per turn; it is no longer read.)
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

/** A stored block or chunk, decoded for search (empty when absent). */
async function readIndex(ctx: MemoryContext, name: string): Promise<SearchableIndex> {
  return decodeIndex(await ctx.store.getDerived<AsPlainObject>(ctx.channel, name));
}

/** An index of the given turns, as a block or chunk is stored. */
function buildIndex(turns: readonly Turn[]): MiniSearch<IndexDoc> {
  const index = new MiniSearch(INDEX_OPTIONS);
  index.addAll(turns.map(docOf));
  return index;
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

export function createChunkedIndex(cache: (ctx: MemoryContext) => LruCache<SearchableIndex>): ChunkedIndex {
  /**
   * Writes a block or chunk once it is complete, from the given turns (the newest of it) plus the
   * earlier ones of it in the log. The chunk still filling is not stored: a search indexes its few
   * turns from the log (they ride in the session record), so an append writes no index at all.
   */
  async function writeComplete(ctx: MemoryContext, name: string, start: number, given: readonly Turn[]) {
    const from = Math.max(start, ctx.session.first);
    const earlier = given[0] && given[0].seq > from ? await ctx.turns.range(from, given[0].seq) : [];
    const index = buildIndex([...earlier, ...given]);
    await ctx.store.setDerived(ctx.channel, ctx.session, name, index.toJSON());
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
        if (group.block)
          await writeComplete(ctx, blockName(group.n), group.n * INDEX_BLOCK_TURNS, group.turns);
        else if ((group.n + 1) * INDEX_CHUNK_TURNS <= last.seq + 1)
          await writeComplete(ctx, chunkName(group.n), group.n * INDEX_CHUNK_TURNS, group.turns);
      }
    },
    async search(ctx, text, limit, indexed) {
      const { first } = ctx.session;
      if (indexed <= first || limit <= 0) return [];
      const reads: Array<Promise<SearchableIndex>> = [];
      for (let b = blockOf(first); b <= blockOf(indexed - 1); b++) {
        if ((b + 1) * INDEX_BLOCK_TURNS <= indexed) {
          reads.push(sealed(ctx, blockName(b)));
          continue;
        }
        const from = Math.max(chunkOf(first), b * CHUNKS_PER_BLOCK);
        for (let c = from; c <= chunkOf(indexed - 1); c++) {
          if ((c + 1) * INDEX_CHUNK_TURNS <= indexed) reads.push(sealed(ctx, chunkName(c)));
          else
            reads.push(
              ctx.turns
                .range(c * INDEX_CHUNK_TURNS, indexed)
                .then((turns) => decodeIndex(buildIndex(turns).toJSON())),
            );
        }
      }
      const query = parseQuery(text);
      const top = new TopMatches(limit);
      for (const index of await Promise.all(reads)) searchIndex(index, query, first, indexed, top);
      return top.seqs.map((seq, i) => ({ seq, score: top.scores[i] as number }));
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
