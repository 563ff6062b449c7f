import { emptyLedger, tokensOnDay, utcDay } from "./ledger.js";
import type { UsageTotals } from "./session.js";

const DAY_MS = 86_400_000;

/** Where a channel stands against its daily token budget (`CHANNEL_DAILY_TOKEN_BUDGET`). */
export interface BudgetStatus {
  /** Tokens allowed per UTC day; 0 means no budget. */
  readonly limit: number;
  /** Prompt plus completion tokens used today (UTC), every purpose and model. */
  readonly used: number;
  readonly over: boolean;
  /** Over, and the channel has not been told yet today: the notice goes out once a day. */
  readonly noticeDue: boolean;
}

/**
 * The channel's standing at `at`; the budget resets at 00:00 UTC because the ledger files by UTC day.
 * `elsewhere` is what the rest of the channel spent today besides this ledger (its threads that keep
 * their own memory, or, for such a thread, the channel and its other threads).
 */
export function budgetStatus(usage: UsageTotals, limit: number, at: number, elsewhere = 0): BudgetStatus {
  const used = tokensOnDay(usage.ledger, at) + elsewhere;
  const over = limit > 0 && used >= limit;
  return { limit, used, over, noticeDue: over && usage.ledger?.budgetNoticeDay !== utcDay(at) };
}

/** Records that today's notice went out; saved with the session so every process sees it. */
export function markBudgetNoticed(usage: UsageTotals, at: number): void {
  usage.ledger ??= emptyLedger();
  usage.ledger.budgetNoticeDay = utcDay(at);
}

/** When the budget resets, e.g. "00:00 UTC (in 3h 12m)". */
export function budgetResets(at: number): string {
  const left = DAY_MS - (at % DAY_MS);
  const minutes = Math.max(1, Math.ceil(left / 60_000));
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `00:00 UTC (in ${h > 0 ? `${h}h ` : ""}${m}m)`;
}

/** The short answer a channel gets while its budget is spent and no fallback model is set. */
export function budgetRefusal(status: BudgetStatus, at: number): string {
  return `This channel's token budget for today is spent (${status.used} of ${status.limit} tokens). It resets at ${budgetResets(at)}.`;
}

/** The once-a-day notice that the channel crossed its budget, saying what happens until it resets. */
export function budgetNotice(status: BudgetStatus, at: number, fallbackModel: string | undefined): string {
  const until = `until it resets at ${budgetResets(at)}`;
  const then = fallbackModel
    ? `I'll answer with the cheaper model ${fallbackModel} ${until}.`
    : `I won't answer here ${until}.`;
  return `This channel has used its daily token budget (${status.used} of ${status.limit} tokens). ${then}`;
}
