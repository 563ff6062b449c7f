import type { LedgerCounts, LedgerEntry, LedgerRecord } from "./ledger-record.js";

/** Days of history the ledger keeps per channel: a month of daily figures, bounded in size. */
export const LEDGER_DAYS = 35;

/** One model call as the ledger records it. */
export interface LedgerCall {
  readonly purpose: string;
  readonly model: string;
  readonly promptTokens: number;
  readonly completionTokens: number;
  /** `estimate` when the local tokenizer counted the tokens because the provider reported none. */
  readonly source: "provider" | "estimate";
  /** Epoch milliseconds of the call; its UTC day files it. */
  readonly at: number;
}

/** The UTC day of an instant, as the ledger files it (`YYYY-MM-DD`). */
export const utcDay = (at: number): string => new Date(at).toISOString().slice(0, 10);

const zero = (): LedgerCounts => ({ promptTokens: 0, completionTokens: 0, calls: 0, estimatedCalls: 0 });

function add(entry: LedgerEntry, call: LedgerCall): void {
  const byModel = entry[call.purpose] ?? {};
  entry[call.purpose] = byModel;
  const slot = byModel[call.model] ?? zero();
  byModel[call.model] = slot;
  slot.promptTokens += call.promptTokens;
  slot.completionTokens += call.completionTokens;
  slot.calls += 1;
  if (call.source === "estimate") slot.estimatedCalls += 1;
}

/** An empty ledger, for a channel that has made no call yet. */
export const emptyLedger = (): LedgerRecord => ({ days: {}, total: {} });

/**
 * Adds a call to the day it happened and to the total, then drops days beyond `LEDGER_DAYS` so the
 * session record stays small however long the channel lives.
 */
export function recordCall(ledger: LedgerRecord, call: LedgerCall): void {
  const day = utcDay(call.at);
  const entry = ledger.days[day] ?? {};
  ledger.days[day] = entry;
  add(entry, call);
  add(ledger.total, call);
  const days = Object.keys(ledger.days).sort();
  for (const old of days.slice(0, Math.max(0, days.length - LEDGER_DAYS))) delete ledger.days[old];
}

/** One row of an entry, flattened for sums and display. */
export interface LedgerRow extends LedgerCounts {
  readonly purpose: string;
  readonly model: string;
}

/** Every purpose-and-model row of an entry. */
export function rows(entry: LedgerEntry | undefined): LedgerRow[] {
  return Object.entries(entry ?? {}).flatMap(([purpose, byModel]) =>
    Object.entries(byModel).map(([model, counts]) => ({ purpose, model, ...counts })),
  );
}

/** Sums rows into one set of counts. */
export function sum(list: readonly LedgerCounts[]): LedgerCounts {
  const total = zero();
  for (const r of list) {
    total.promptTokens += r.promptTokens;
    total.completionTokens += r.completionTokens;
    total.calls += r.calls;
    total.estimatedCalls += r.estimatedCalls;
  }
  return total;
}

/** Prompt plus completion tokens the channel used on the UTC day of `at`: what the daily budget counts. */
export function tokensOnDay(ledger: LedgerRecord | undefined, at: number): number {
  const today = sum(rows(ledger?.days[utcDay(at)]));
  return today.promptTokens + today.completionTokens;
}
