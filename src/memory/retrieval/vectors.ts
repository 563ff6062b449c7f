import type { LruCache } from "../../util/lru.js";
import type { MemoryContext } from "../types.js";
import { logName } from "./state.js";

/** Turns per vector block (64, as the log's segments): an append rewrites one block. */
export const VECTOR_BLOCK_TURNS = 64;

/** A stored vector, quantized to int8 with one scale (a quarter of float32's bytes, same ranking). */
export interface StoredVector {
  readonly seq: number;
  readonly data: Int8Array;
  /** Length of the original vector, for cosine similarity. */
  readonly norm: number;
  readonly scale: number;
}

/** seq -> [scale, base64 of the int8 components] */
type Block = Record<string, [number, string]>;

const blockOf = (seq: number) => Math.floor(seq / VECTOR_BLOCK_TURNS);
const blockName = (block: number) => `vec:${block}`;

export function quantize(vector: readonly number[]): [number, string] {
  const max = vector.reduce((m, x) => Math.max(m, Math.abs(x)), 0) || 1;
  const scale = max / 127;
  const data = Int8Array.from(vector, (x) => Math.round(x / scale));
  return [scale, Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("base64")];
}

function decode(seq: number, [scale, base64]: [number, string]): StoredVector {
  const bytes = Buffer.from(base64, "base64");
  const data = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let sum = 0;
  for (const x of data) sum += x * x;
  return { seq, data, scale, norm: Math.sqrt(sum) * scale || 1 };
}

/** A vector as it will be stored and read back (quantized), for one not stored yet. */
export function asStored(seq: number, vector: readonly number[]): StoredVector {
  return decode(seq, quantize(vector));
}

/** Cosine similarity of a query vector with a stored one. */
export function cosine(query: Float64Array, queryNorm: number, v: StoredVector): number {
  const n = Math.min(query.length, v.data.length);
  let dot = 0;
  for (let i = 0; i < n; i++) dot += (query[i] as number) * (v.data[i] as number);
  return (dot * v.scale) / (queryNorm * v.norm);
}

/** The channel's turn vectors, stored in blocks beside the log; each turn is embedded once. */
export interface VectorStore {
  add(ctx: MemoryContext, entries: ReadonlyArray<{ seq: number; vector: readonly number[] }>): Promise<void>;
  /** Every stored vector with `first <= seq < embedded`. */
  all(ctx: MemoryContext, embedded: number): Promise<StoredVector[]>;
  dropBelow(ctx: MemoryContext, first: number): Promise<void>;
}

export function createVectorStore(cache: (ctx: MemoryContext) => LruCache<StoredVector[]>): VectorStore {
  /**
   * Blocks as stored, read once per session object: a session lives for one exchange under the
   * channel's lock, so the block a search read is the one the append extends (one read, not two).
   */
  const rawBlocks = new WeakMap<object, Map<number, Block>>();
  const readRaw = async (ctx: MemoryContext, block: number): Promise<Block> => {
    let blocks = rawBlocks.get(ctx.session);
    if (!blocks) {
      blocks = new Map();
      rawBlocks.set(ctx.session, blocks);
    }
    const known = blocks.get(block);
    if (known) return known;
    const stored = (await ctx.store.getDerived<Block>(ctx.channel, blockName(block))) ?? {};
    blocks.set(block, stored);
    return stored;
  };
  const read = async (ctx: MemoryContext, block: number) =>
    Object.entries(await readRaw(ctx, block)).map(([seq, v]) => decode(Number(seq), v));
  return {
    async add(ctx, entries) {
      const byBlock = new Map<number, Array<{ seq: number; vector: readonly number[] }>>();
      for (const e of entries) byBlock.set(blockOf(e.seq), [...(byBlock.get(blockOf(e.seq)) ?? []), e]);
      for (const [block, list] of byBlock) {
        const stored = await readRaw(ctx, block);
        for (const e of list) stored[String(e.seq)] = quantize(e.vector);
        await ctx.store.setDerived(ctx.channel, ctx.session, blockName(block), stored);
      }
    },
    async all(ctx, embedded) {
      const { first } = ctx.session;
      if (embedded <= first) return [];
      const lru = cache(ctx);
      const blocks: Array<Promise<StoredVector[]>> = [];
      for (let b = blockOf(first); b <= blockOf(embedded - 1); b++) {
        const sealed = (b + 1) * VECTOR_BLOCK_TURNS <= embedded;
        const key = `${ctx.channel}\u0000${logName(ctx.session)}\u0000${b}`;
        const hit = sealed ? lru.get(key) : undefined;
        blocks.push(
          hit
            ? Promise.resolve(hit)
            : read(ctx, b).then((vectors) => {
                if (sealed) lru.set(key, vectors);
                return vectors;
              }),
        );
      }
      return (await Promise.all(blocks)).flat().filter((v) => v.seq >= first && v.seq < embedded);
    },
    async dropBelow(ctx, first) {
      const stale = ctx.session.derivedKeys.filter((name) => {
        const match = /^vec:(\d+)$/.exec(name);
        return match !== null && (Number(match[1]) + 1) * VECTOR_BLOCK_TURNS <= first;
      });
      await ctx.store.deleteDerived(ctx.channel, ctx.session, stale);
    },
  };
}
