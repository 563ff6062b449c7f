/** Dollars per million tokens, as providers list them. */
export interface ModelPrice {
  readonly input: number;
  readonly output: number;
}

/** Prices by model name; `MODEL_PRICES` entries replace or add to the defaults. */
export type PriceTable = Readonly<Record<string, ModelPrice>>;

/**
 * OpenAI list prices (USD per million tokens, standard tier) for common models, so `/memory stats`
 * can show dollars out of the box. Prices change: override them with `MODEL_PRICES`.
 */
export const DEFAULT_MODEL_PRICES = {
  "gpt-4o-mini": { input: 0.15, output: 0.6 },
  "gpt-4o": { input: 2.5, output: 10 },
  "gpt-4.1": { input: 2, output: 8 },
  "gpt-4.1-mini": { input: 0.4, output: 1.6 },
  "gpt-4.1-nano": { input: 0.1, output: 0.4 },
  "gpt-5": { input: 1.25, output: 10 },
  "gpt-5-mini": { input: 0.25, output: 2 },
  "gpt-5-nano": { input: 0.05, output: 0.4 },
  "gpt-4-turbo": { input: 10, output: 30 },
  "gpt-3.5-turbo": { input: 0.5, output: 1.5 },
  o3: { input: 2, output: 8 },
  "o3-mini": { input: 1.1, output: 4.4 },
  "o4-mini": { input: 1.1, output: 4.4 },
  "text-embedding-3-small": { input: 0.02, output: 0 },
  "text-embedding-3-large": { input: 0.13, output: 0 },
  "text-embedding-ada-002": { input: 0.1, output: 0 },
} as const satisfies PriceTable;

/** A dated snapshot or alias suffix: `-2024-07-18`, `-0613`, `-latest`. */
const SNAPSHOT_SUFFIX = /-(\d{4}-\d{2}-\d{2}|\d{4}|latest)$/;

/**
 * The price of a model: an exact entry, else the entry for the model a dated snapshot belongs to
 * (`gpt-4o-mini-2024-07-18` is priced as `gpt-4o-mini`). Unknown models have no price, and
 * `/memory stats` then shows their tokens without dollars rather than guessing.
 */
export function priceOf(table: PriceTable, model: string): ModelPrice | undefined {
  const own = (name: string) => (Object.hasOwn(table, name) ? table[name] : undefined);
  return own(model) ?? own(model.replace(SNAPSHOT_SUFFIX, ""));
}

/** Dollars for some tokens of one model, or undefined when the model has no price. */
export function costOf(
  table: PriceTable,
  model: string,
  tokens: { readonly promptTokens: number; readonly completionTokens: number },
): number | undefined {
  const price = priceOf(table, model);
  if (!price) return undefined;
  return (tokens.promptTokens * price.input + tokens.completionTokens * price.output) / 1_000_000;
}

/** Dollars as a user reads them: cents for most sums, more digits for the tiny ones. */
export function formatDollars(dollars: number): string {
  if (dollars === 0) return "$0.00";
  if (dollars < 0.000_001) return "under $0.000001";
  if (dollars < 0.01) return `$${dollars.toFixed(6).replace(/0+$/, "")}`;
  return `$${dollars.toFixed(2)}`;
}
