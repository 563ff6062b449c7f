import type { Turn } from "../core/turn.js";

/**
 * Takes turns newest first while they fit in `budgetTokens`, and returns them oldest first. Stops at
 * the first turn that does not fit, so the kept turns are always a contiguous recent stretch.
 */
export async function takeNewestWithin(
  turns: AsyncIterable<Turn> | Iterable<Turn>,
  budgetTokens: number,
): Promise<Turn[]> {
  const kept: Turn[] = [];
  let used = 0;
  for await (const turn of turns) {
    if (used + turn.tokens > budgetTokens) break;
    used += turn.tokens;
    kept.push(turn);
  }
  return kept.reverse();
}

/** Tokens the summary section's header adds around a summary carried over from idle turns. */
export const ARCHIVED_SUMMARY_OVERHEAD_TOKENS = 16;
