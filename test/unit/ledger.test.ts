import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";
import { emptyLedger, LEDGER_DAYS, recordCall, rows, sum, tokensOnDay } from "../../src/core/ledger.js";
import { costOf, DEFAULT_MODEL_PRICES, formatDollars, priceOf } from "../../src/core/prices.js";

const DAY_MS = 86_400_000;
const call = (at: number, over: Partial<Parameters<typeof recordCall>[1]> = {}) => ({
  purpose: "reply",
  model: "gpt-4o-mini",
  promptTokens: 100,
  completionTokens: 20,
  source: "provider" as const,
  at,
  ...over,
});

describe("ledger", () => {
  it("files calls by UTC day, purpose and model, and keeps only the last days while the total keeps counting", () => {
    const ledger = emptyLedger();
    const start = Date.UTC(2026, 0, 1, 12);
    for (let d = 0; d < 50; d++) recordCall(ledger, call(start + d * DAY_MS));
    recordCall(ledger, call(start + 49 * DAY_MS, { purpose: "summary", model: "cheap", source: "estimate" }));
    expect(Object.keys(ledger.days)).toHaveLength(LEDGER_DAYS);
    expect(Object.keys(ledger.days).sort()[0]).toBe("2026-01-16");
    expect(sum(rows(ledger.total))).toEqual({
      promptTokens: 5100,
      completionTokens: 1020,
      calls: 51,
      estimatedCalls: 1,
    });
    expect(tokensOnDay(ledger, start + 49 * DAY_MS)).toBe(240);
    expect(tokensOnDay(ledger, start + 60 * DAY_MS)).toBe(0);
    // The session record stays small however long the channel lives.
    expect(JSON.stringify(ledger).length).toBeLessThan(6000);
  });

  it("splits a UTC day at midnight UTC", () => {
    const ledger = emptyLedger();
    const midnight = Date.UTC(2026, 5, 2);
    recordCall(ledger, call(midnight - 1));
    recordCall(ledger, call(midnight));
    expect(tokensOnDay(ledger, midnight - 1)).toBe(120);
    expect(tokensOnDay(ledger, midnight + DAY_MS - 1)).toBe(120);
  });
});

describe("prices", () => {
  it("prices dated snapshots as their model, the longest name first, and unknown models not at all", () => {
    expect(priceOf(DEFAULT_MODEL_PRICES, "gpt-4o-mini-2024-07-18")).toEqual({ input: 0.15, output: 0.6 });
    expect(priceOf(DEFAULT_MODEL_PRICES, "gpt-4o-2024-08-06")).toEqual({ input: 2.5, output: 10 });
    expect(priceOf(DEFAULT_MODEL_PRICES, "llama3.1:8b")).toBeUndefined();
    expect(priceOf(DEFAULT_MODEL_PRICES, "gpt-4o-minimal")).toBeUndefined();
    expect(priceOf(DEFAULT_MODEL_PRICES, "constructor")).toBeUndefined();
    expect(
      costOf(DEFAULT_MODEL_PRICES, "gpt-4o", { promptTokens: 1_000_000, completionTokens: 100_000 }),
    ).toBe(3.5);
    expect(formatDollars(3.5)).toBe("$3.50");
    expect(formatDollars(0.000_15)).toBe("$0.00015");
    expect(formatDollars(0)).toBe("$0.00");
  });

  it("reads MODEL_PRICES and names the variable when it is malformed", () => {
    expect(loadConfig({ MODEL_PRICES: '{"local":{"input":0.1,"output":0.2}}' }).MODEL_PRICES).toEqual({
      local: { input: 0.1, output: 0.2 },
    });
    for (const bad of ["{oops", '{"m":{"input":1}}', '{"m":{"input":-1,"output":1}}', '{"m":[1,2]}']) {
      expect(() => loadConfig({ MODEL_PRICES: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ MODEL_PRICES: bad })).toThrow(/MODEL_PRICES/);
    }
    expect(() => loadConfig({ CHANNEL_DAILY_TOKEN_BUDGET: "lots" })).toThrow(/CHANNEL_DAILY_TOKEN_BUDGET/);
    expect(loadConfig({}).CHANNEL_DAILY_TOKEN_BUDGET).toBe(0);
  });
});
