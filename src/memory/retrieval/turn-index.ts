import type { TokenCounter } from "../../core/prompt.js";
import type { Turn } from "../../core/turn.js";
import type { Language } from "../../search/languages.js";
import type { LruCache } from "../../util/lru.js";
import type { MemoryContext } from "../types.js";
import { logName } from "./state.js";
import { analyzeTurn, buildTurnBlock, decodeTurnBlock, type TurnBlock } from "./turn-doc.js";

/**
 * The turn index is kept in two sizes so that a turn never rewrites an index of the whole history:
 * each complete chunk of `INDEX_CHUNK_TURNS` turns is written once, and once a block of
 * `INDEX_BLOCK_TURNS` turns is complete it is written once as a block and its chunks are deleted. The
 * turns of the chunk still filling are analyzed when searched (they ride in the session record; their
 * analysis is cached per process), so an append writes no index at all 31 times in 32.
 */
export const INDEX_CHUNK_TURNS = 32;
export const INDEX_BLOCK_TURNS = 256;
/** Derived-entry names of this format (`ix:` names belong to the format before it). */
export const TURN_INDEX_PREFIX = "tx:";

const chunkOf = (seq: number) => Math.floor(seq / INDEX_CHUNK_TURNS);
const blockOf = (seq: number) => Math.floor(seq / INDEX_BLOCK_TURNS);
const chunkName = (chunk: number) => `${TURN_INDEX_PREFIX}c${chunk}`;
const blockName = (block: number) => `${TURN_INDEX_PREFIX}b${block}`;
const CHUNKS_PER_BLOCK = INDEX_BLOCK_TURNS / INDEX_CHUNK_TURNS;

/** The channel's turn index, stored as blocks and chunks beside the turn log. */
export interface TurnIndex {
  /** Indexes contiguous turns, oldest first: writes the chunks and blocks they complete. */
  add(ctx: MemoryContext, turns: readonly Turn[], hint?: Language): Promise<void>;
  /** The index of every turn with `first <= seq < indexed`, oldest first. */
  parts(ctx: MemoryContext, indexed: number, hint?: Language): Promise<TurnBlock[]>;
  /** Deletes chunks a complete block replaced and entries whose turns all left the log. */
  cleanup(ctx: MemoryContext, indexed: number): Promise<void>;
}

export function createTurnIndex(cache: (ctx: MemoryContext) => LruCache<TurnBlock>): TurnIndex {
  const analyzeAll = (turns: readonly Turn[], count: TokenCounter, hint?: Language) =>
    turns.map((t) => analyzeTurn(t, count, hint));

  /** Writes a complete block or chunk from the given turns (its newest) and the earlier ones in the log. */
  async function writeComplete(
    ctx: MemoryContext,
    name: string,
    start: number,
    given: readonly Turn[],
    hint?: Language,
  ) {
    const from = Math.max(start, ctx.session.first);
    const earlier = given[0] && given[0].seq > from ? await ctx.turns.range(from, given[0].seq) : [];
    const block = buildTurnBlock(analyzeAll([...earlier, ...given], ctx.countTokens, hint));
    await ctx.store.setDerived(ctx.channel, ctx.session, name, block);
  }

  const sealed = async (ctx: MemoryContext, name: string) => {
    const lru = cache(ctx);
    const key = `${ctx.channel}\u0000${logName(ctx.session)}\u0000${name}`;
    const hit = lru.get(key);
    if (hit) return hit;
    const loaded = decodeTurnBlock(await ctx.store.getDerived(ctx.channel, name));
    lru.set(key, loaded);
    return loaded;
  };

  return {
    async add(ctx, turns, hint) {
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
          await writeComplete(ctx, blockName(group.n), group.n * INDEX_BLOCK_TURNS, group.turns, hint);
        else if ((group.n + 1) * INDEX_CHUNK_TURNS <= last.seq + 1)
          await writeComplete(ctx, chunkName(group.n), group.n * INDEX_CHUNK_TURNS, group.turns, hint);
      }
    },
    async parts(ctx, indexed, hint) {
      const { first } = ctx.session;
      if (indexed <= first) return [];
      const reads: Array<Promise<TurnBlock>> = [];
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
                .then((turns) => decodeTurnBlock(buildTurnBlock(analyzeAll(turns, ctx.countTokens, hint)))),
            );
        }
      }
      return Promise.all(reads);
    },
    async cleanup(ctx, indexed) {
      const { first } = ctx.session;
      const stale = ctx.session.derivedKeys.filter((name) => {
        const match = /^tx:([bc])(\d+)$/.exec(name);
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
