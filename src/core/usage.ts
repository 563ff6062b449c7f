import type { UsageCounts, UsageTotals } from "../store/channel-store.js";
import type { LlmPurpose } from "./llm.js";

/** Tokens of one model call, whatever its purpose. */
export interface CallUsage {
  readonly promptTokens: number;
  readonly completionTokens: number;
}

const zero = (): UsageCounts => ({ promptTokens: 0, completionTokens: 0, calls: 0 });

/**
 * Adds one model call to a channel's usage: the totals keep counting every call (so the session's
 * top-level numbers stay the channel's whole bill) and `byPurpose` splits them, so a later ledger or
 * `/memory stats` can tell reply tokens from summary and embedding tokens.
 */
export function recordUsage(usage: UsageTotals, purpose: LlmPurpose, call: CallUsage): void {
  usage.promptTokens += call.promptTokens;
  usage.completionTokens += call.completionTokens;
  usage.calls += 1;
  const byPurpose = usage.byPurpose ?? {};
  const slot = byPurpose[purpose] ?? zero();
  byPurpose[purpose] = slot;
  usage.byPurpose = byPurpose;
  slot.promptTokens += call.promptTokens;
  slot.completionTokens += call.completionTokens;
  slot.calls += 1;
}

/**
 * Usage of one purpose. Sessions saved before the breakdown existed counted replies only, so their
 * totals stand in for the reply slot.
 */
export function usageFor(usage: UsageTotals, purpose: LlmPurpose): UsageCounts {
  const slot = usage.byPurpose?.[purpose];
  if (slot) return slot;
  return purpose === "reply" && !usage.byPurpose ? usage : zero();
}
