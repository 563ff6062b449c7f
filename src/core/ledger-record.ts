/** Calls and tokens of one purpose on one model; `estimatedCalls` counts calls the provider did not report. */
export interface LedgerCounts {
  promptTokens: number;
  completionTokens: number;
  calls: number;
  /** Calls whose tokens were counted with the local tokenizer instead of the provider's report. */
  estimatedCalls: number;
}

/** Counts by purpose (reply, summary, embedding), then by model name. */
export type LedgerEntry = Record<string, Record<string, LedgerCounts>>;

/**
 * A channel's token ledger, kept on its session record so an exchange's usage is committed with its
 * turn. Only the most recent days are kept (a few KB at most); `total` counts since the ledger began.
 */
export interface LedgerRecord {
  /** By UTC day (`YYYY-MM-DD`). */
  days: Record<string, LedgerEntry>;
  total: LedgerEntry;
  /** The UTC day on which the channel was last told its daily budget was spent (told once a day). */
  budgetNoticeDay?: string;
}
