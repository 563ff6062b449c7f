import { type TokenCounter, turnTokens } from "./prompt.js";
import type { Turn, TurnReader } from "./turn.js";

/** Turns as each tokenizer counts them, by stored turn object (complete segments' turns are shared). */
const recounted = new WeakMap<TokenCounter, WeakMap<Turn, Turn>>();

/** A turn with its prompt cost as `count` counts it; the same object every time, so caches by turn hold. */
export function recountTurn(turn: Turn, count: TokenCounter): Turn {
  let known = recounted.get(count);
  if (!known) {
    known = new WeakMap();
    recounted.set(count, known);
  }
  let again = known.get(turn);
  if (!again) {
    again = { ...turn, tokens: turnTokens(count, turn) };
    known.set(turn, again);
  }
  return again;
}

/**
 * A reader whose turns carry their cost under another tokenizer. Turns store what they cost under the
 * deployment model's tokenizer; a channel on a model with another one (o200k against cl100k) would
 * otherwise fit its prompts by the wrong counts, and a language the two split differently could then
 * carry a prompt past its budget.
 */
export function recountedReader(reader: TurnReader, count: TokenCounter): TurnReader {
  return {
    recent: async (limit) => (await reader.recent(limit)).map((t) => recountTurn(t, count)),
    range: async (from, to) => (await reader.range(from, to)).map((t) => recountTurn(t, count)),
    bySeq: async (seqs) => (await reader.bySeq(seqs)).map((t) => recountTurn(t, count)),
    async *oldestFirst(from) {
      for await (const turns of reader.oldestFirst(from)) yield turns.map((t) => recountTurn(t, count));
    },
    async *newestFirst(from) {
      for await (const turn of reader.newestFirst(from)) yield recountTurn(turn, count);
    },
  };
}
