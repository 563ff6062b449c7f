import { budgetResets, budgetStatus } from "./budget.js";
import { type LedgerRow, rows, sum, utcDay } from "./ledger.js";
import type { LedgerRecord } from "./ledger-record.js";
import { LLM_PURPOSES } from "./llm.js";
import type { ModeEstimate } from "./mode-estimate.js";
import { plural } from "./plural.js";
import { costOf, formatDollars, type PriceTable } from "./prices.js";
import type { SessionRecord } from "./session.js";
import { usageFor } from "./usage.js";

/** What `/memory stats` needs besides the session. */
export interface StatsOptions {
  readonly now: number;
  readonly dailyTokenBudget?: number | undefined;
  /** What the rest of the channel (its threads, or the channel around a thread) spent today. */
  readonly budgetElsewhere?: number | undefined;
  readonly prices?: PriceTable | undefined;
  /** The model the channel answers with now (`/memory model`): its prices price the estimates. */
  readonly model?: string | undefined;
  /** Average reply prompts buffer and window modes would have sent (from the stored log). */
  readonly estimate?: ModeEstimate | undefined;
  /** The window size the estimate used. */
  readonly windowTurns?: number | undefined;
}

/** Dollars for rows, and the models with no price (their tokens are shown without dollars). */
function cost(
  list: readonly LedgerRow[],
  prices: PriceTable,
): { dollars: number; priced: boolean; unpriced: string[] } {
  let dollars = 0;
  let priced = false;
  const unpriced = new Set<string>();
  for (const row of list) {
    const c = costOf(prices, row.model, row);
    if (c === undefined) unpriced.add(row.model);
    else {
      dollars += c;
      priced = true;
    }
  }
  return { dollars, priced, unpriced: [...unpriced] };
}

/** Dollars only when some model used has a price: an unpriced model's calls never read as "$0.00". */
function costText(list: readonly LedgerRow[], prices: PriceTable): string {
  const { dollars, priced, unpriced } = cost(list, prices);
  const known = priced || list.length === 0 ? `about ${formatDollars(dollars)}` : "cost unknown";
  return unpriced.length > 0 ? `${known} (no price for ${unpriced.join(", ")})` : known;
}

function period(label: string, list: readonly LedgerRow[], prices: PriceTable): string {
  const t = sum(list);
  const tokens = t.promptTokens + t.completionTokens;
  return `${label}: ${tokens} tokens (${t.promptTokens} prompt + ${t.completionTokens} completion) in ${plural(t.calls, "call")}, ${costText(list, prices)}`;
}

function sourceLine(ledger: LedgerRecord | undefined): string {
  const t = sum(rows(ledger?.total));
  if (t.calls === 0) return "Figures: no model calls recorded yet.";
  if (t.estimatedCalls === 0) return "Figures: token counts as reported by the model provider.";
  if (t.estimatedCalls === t.calls)
    return "Figures: estimated with the local tokenizer (the provider reported no usage).";
  return `Figures: ${t.calls - t.estimatedCalls} of ${t.calls} calls as reported by the provider, the rest estimated with the local tokenizer.`;
}

function budgetLine(session: SessionRecord, options: StatsOptions): string {
  const limit = options.dailyTokenBudget ?? 0;
  if (limit <= 0) return "Daily budget: none (CHANNEL_DAILY_TOKEN_BUDGET is 0).";
  const status = budgetStatus(session.usage, limit, options.now, options.budgetElsewhere ?? 0);
  const pct = Math.floor((status.used / limit) * 100);
  const state = status.over ? "spent" : `${pct}%`;
  return `Daily budget: ${status.used} of ${limit} tokens used today (${state}), resets at ${budgetResets(options.now)}`;
}

function estimateLines(session: SessionRecord, options: StatsOptions, average: number): string[] {
  const e = options.estimate;
  if (!e) return [];
  const lines = [
    `Other modes, estimated from the ${plural(e.replies, "answered turn")} still stored (reply prompts only, no summaries): buffer about ${e.buffer} tokens a reply, window (k=${options.windowTurns ?? "?"}) about ${e.window}; this channel averaged ${average}.`,
  ];
  const replyRows = rows(session.usage.ledger?.total).filter((r) => r.purpose === "reply");
  const model = options.model ?? replyRows.sort((a, b) => b.calls - a.calls)[0]?.model;
  const per1000 = (tokens: number) =>
    model === undefined
      ? undefined
      : costOf(options.prices ?? {}, model, { promptTokens: tokens * 1000, completionTokens: 0 });
  const [buffer, window, actual] = [per1000(e.buffer), per1000(e.window), per1000(average)];
  if (buffer !== undefined && window !== undefined && actual !== undefined)
    lines.push(
      `  Prompt cost per 1,000 replies at ${model} prices: buffer ${formatDollars(buffer)}, window ${formatDollars(window)}, this channel ${formatDollars(actual)}.`,
    );
  return lines;
}

/**
 * The `/memory stats` answer: what the channel used today and in all, what that cost at list prices,
 * where it stands against its daily budget, and whether the figures are the provider's or estimates.
 * The first lines keep their earlier shape, since admins and scripts read them.
 */
export function formatStats(session: SessionRecord, options: StatsOptions): string {
  const { usage } = session;
  const prices = options.prices ?? {};
  const replies = usageFor(usage, "reply");
  const average = replies.calls > 0 ? Math.round(replies.promptTokens / replies.calls) : 0;
  const purposes = LLM_PURPOSES.map((p) => ({ p, u: usageFor(usage, p) }))
    .filter(({ u }) => u.calls > 0)
    .map(
      ({ p, u }) => `  ${p}: ${plural(u.calls, "call")}, ${u.promptTokens} + ${u.completionTokens} tokens`,
    );
  const ledger = usage.ledger;
  const models = [...new Set(rows(ledger?.total).map((r) => r.model))].map((model) => {
    const list = rows(ledger?.total).filter((r) => r.model === model);
    const t = sum(list);
    return `  ${model}: ${plural(t.calls, "call")}, ${t.promptTokens} + ${t.completionTokens} tokens, ${costText(list, prices)}`;
  });
  return [
    `Model calls: ${usage.calls}`,
    ...purposes,
    `Tokens: ${usage.promptTokens} prompt + ${usage.completionTokens} completion = ${usage.promptTokens + usage.completionTokens}`,
    `Average reply prompt: ${average} tokens`,
    period(`Today (${utcDay(options.now)} UTC)`, rows(ledger?.days[utcDay(options.now)]), prices),
    period("All time", rows(ledger?.total), prices),
    ...(models.length > 0 ? ["By model (all time):", ...models] : []),
    ...estimateLines(session, options, average),
    ...(options.model ? [`Model here: ${options.model}`] : []),
    budgetLine(session, options),
    sourceLine(ledger),
    "Costs are estimates at list prices (MODEL_PRICES overrides them).",
  ].join("\n");
}
