import { emptyLedger, recordCall } from "./ledger.js";
import type { LlmPurpose } from "./llm.js";
import type { UsageCounts, UsageTotals } from "./session.js";

/** Tokens of one model call, whatever its purpose. */
export interface CallUsage {
  readonly promptTokens: number;
  readonly completionTokens: number;
  /** Whether the provider reported the tokens; unset counts as an estimate (local tokenizer). */
  readonly source?: "provider" | "estimate";
}

/** Which model made a call and when, so the ledger can file it by model and UTC day. */
export interface CallMeta {
  readonly model: string;
  /** Epoch milliseconds; the caller's clock (tests pass a fake one). */
  readonly at: number;
}

const zero = (): UsageCounts => ({ promptTokens: 0, completionTokens: 0, calls: 0 });

/**
 * Adds one model call to a channel's usage: the totals keep counting every call (so the session's
 * top-level numbers stay the channel's whole bill) and `byPurpose` splits them, so a later ledger or
 * `/memory stats` can tell reply tokens from summary and embedding tokens. The ledger files the same
 * call by UTC day and model (`meta`; callers written before it existed file under "unknown", now).
 */
export function recordUsage(usage: UsageTotals, purpose: LlmPurpose, call: CallUsage, meta?: CallMeta): void {
  usage.ledger ??= emptyLedger();
  recordCall(usage.ledger, {
    purpose,
    model: meta?.model ?? "unknown",
    promptTokens: call.promptTokens,
    completionTokens: call.completionTokens,
    source: call.source ?? "estimate",
    at: meta?.at ?? Date.now(),
  });
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
