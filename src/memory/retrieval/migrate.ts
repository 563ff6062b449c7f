import type { Language } from "../../search/languages.js";
import type { MemoryContext } from "../types.js";
import { rankTurns } from "./conversation-rank.js";
import type { ChunkedIndex } from "./legacy/lexical-index.js";
import { fuseRankings } from "./rank.js";
import {
  INDEX_FORMAT,
  type RetrievalState,
  readRetrieval,
  usualLanguage,
  withGuessedLanguage,
  writeRetrieval,
} from "./state.js";
import { analyzeTurn, buildTurnBlock, decodeTurnBlock } from "./turn-doc.js";
import { INDEX_BLOCK_TURNS, type TurnIndex } from "./turn-index.js";

/**
 * A channel whose index is of an older format and holds at most this many turns is re-indexed on its
 * next message, before the answer (about 0.1 s at this size: see bench/RESULTS.md); a larger one is
 * re-indexed in the background, a block per message after the reply, while the old index serves.
 */
export const INLINE_REBUILD_TURNS = 2048;
/** Turns after the old index's end that a search while rebuilding analyzes on the fly, at most. */
const FRESH_TURNS_MAX = 1024;

/** A ranked turn; `cost` is known for turns ranked by the new index. */
export interface MigrationMatch {
  readonly seq: number;
  readonly cost?: number | undefined;
  /** False for a turn ranked only by its neighbourhood or recency (see RankedTurn.matched). */
  readonly matched?: boolean | undefined;
}

/** Moving a channel's stored index to the current format without losing a turn or a pause. */
export interface Migration {
  /** The state to index with: a small channel of an older format starts its new index now. */
  prepare(ctx: MemoryContext): Promise<RetrievalState>;
  /** Whether the old index still serves while the new one is built. */
  active(state: RetrievalState): boolean;
  /** The ranking while active: the old index's and, for turns it never saw, the new analysis', fused. */
  rank(
    ctx: MemoryContext,
    state: RetrievalState,
    limit: number,
    before: number,
    hint?: Language,
  ): Promise<MigrationMatch[]>;
  /** After a reply: indexes one more block, and once all are done switches over and drops the old index. */
  step(ctx: MemoryContext): Promise<boolean>;
}

const LEGACY_NAME = /^ix:[bc]\d+$/;

export function createMigration(index: TurnIndex, legacy: ChunkedIndex): Migration {
  const active = (state: RetrievalState) => state.format !== INDEX_FORMAT && state.rebuilt !== undefined;

  /** Deletes what is left of the old index once the new one serves; true when it deleted any. */
  async function dropLegacy(ctx: MemoryContext): Promise<boolean> {
    const names = ctx.session.derivedKeys.filter((name) => LEGACY_NAME.test(name));
    await ctx.store.deleteDerived(ctx.channel, ctx.session, names);
    return names.length > 0;
  }

  return {
    active,
    async prepare(ctx) {
      const state = readRetrieval(ctx.session);
      if (state.format === INDEX_FORMAT || active(state)) return state;
      const { first, next } = ctx.session;
      const hasLegacy = state.indexed > first && ctx.session.derivedKeys.some((n) => LEGACY_NAME.test(n));
      const small = next - first <= INLINE_REBUILD_TURNS;
      // Nothing indexed yet, or small enough: the new index starts from the oldest stored turn now.
      const prepared: RetrievalState =
        !hasLegacy || small
          ? { ...state, indexed: first, format: INDEX_FORMAT }
          : { ...state, rebuilt: first };
      writeRetrieval(ctx.session, prepared);
      return prepared;
    },
    async rank(ctx, state, limit, before, hint) {
      const old = (await legacy.search(ctx, ctx.query, limit, state.indexed))
        .map((m) => m.seq)
        .filter((seq) => seq < before);
      const from = Math.max(state.indexed, before - FRESH_TURNS_MAX);
      const fresh = from < before ? await ctx.turns.range(from, before) : [];
      const block = decodeTurnBlock(buildTurnBlock(fresh.map((t) => analyzeTurn(t, ctx.countTokens, hint))));
      const ranked = rankTurns([block], {
        query: ctx.query,
        now: ctx.now(),
        from,
        before,
        limit,
        hint,
        asker: ctx.asker,
      });
      const costs = new Map(ranked.map((r) => [r.seq, r.cost]));
      return fuseRankings([old, ranked.map((r) => r.seq)], limit).map((seq) => ({
        seq,
        cost: costs.get(seq),
      }));
    },
    async step(ctx) {
      let state = readRetrieval(ctx.session);
      if (!active(state)) return state.format === INDEX_FORMAT ? dropLegacy(ctx) : false;
      const { next } = ctx.session;
      const from = state.rebuilt ?? ctx.session.first;
      const to = Math.min((Math.floor(from / INDEX_BLOCK_TURNS) + 1) * INDEX_BLOCK_TURNS, next);
      const turns = from < to ? await ctx.turns.range(from, to) : [];
      const known = withGuessedLanguage(
        state,
        turns.map((t) => t.text),
      );
      if (turns.length > 0) await index.add(ctx, turns, usualLanguage(known));
      state = known;
      if (to < next) {
        writeRetrieval(ctx.session, { ...state, rebuilt: to });
        return true;
      }
      const { rebuilt: _done, ...rest } = state;
      writeRetrieval(ctx.session, { ...rest, indexed: to, format: INDEX_FORMAT });
      await dropLegacy(ctx);
      return true;
    },
  };
}
