/** Prompt budgets (MEMORY_MAX_PROMPT_TOKENS) every configuration is measured at. */
export const BUDGETS = [700, 1800] as const;
/** "Recall for ten turns": the top 10 retrieved, the reference figures' unit. */
export const TOP_TURNS = 10;
/** A budget large enough that ten retrieved turns always fit: then K alone decides. */
export const TOP_TURNS_BUDGET = 4000;

/**
 * MEMORY_RETRIEVAL_K for the product at a budget: unset by default (retrieval fills its budget); the
 * engine before 2026-12-06 stopped at K turns, so its figures (RESULTS.md 3b) were measured with
 * `BENCH_RETRIEVAL_K=100`, its maximum. Any number sets it.
 */
function retrievalK(): Record<string, string> {
  const k = process.env.BENCH_RETRIEVAL_K ?? "none";
  return k === "none" ? {} : { MEMORY_RETRIEVAL_K: k };
}

/** Extra product settings for every configuration, as JSON (`BENCH_PRODUCT_ENV='{"X":"1"}'`). */
function extraEnv(): Record<string, string> {
  const raw = process.env.BENCH_PRODUCT_ENV;
  if (!raw) return {};
  const parsed = JSON.parse(raw) as unknown;
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed))
    throw new Error("BENCH_PRODUCT_ENV must be a JSON object of strings");
  return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
}

/** A product configuration: a memory mode at a budget, set only through the bot's environment variables. */
export interface ProductConfig {
  readonly mode: "retrieval" | "window" | "buffer";
  /** A token budget, or "top 10": ten retrieved turns (K=10) in a budget they always fit. */
  readonly budget: number | "top 10";
  readonly env: Record<string, string>;
}

/** The product's configurations: retrieval at each budget and top 10; window and buffer as no-retrieval baselines. */
export function productConfigs(modes: ReadonlyArray<ProductConfig["mode"]>): ProductConfig[] {
  const out: ProductConfig[] = [];
  for (const mode of modes) {
    for (const budget of BUDGETS)
      out.push({
        mode,
        budget,
        env: {
          MEMORY_MODE: mode,
          MEMORY_MAX_PROMPT_TOKENS: String(budget),
          ...(mode === "retrieval" ? retrievalK() : {}),
          ...extraEnv(),
        },
      });
  }
  return out;
}

/** The product at "ten turns": K=10 in a budget ten always fit (K stays a cap in the new engine). */
export function productTopConfig(): ProductConfig {
  return {
    mode: "retrieval",
    budget: "top 10",
    env: {
      MEMORY_MODE: "retrieval",
      MEMORY_MAX_PROMPT_TOKENS: String(TOP_TURNS_BUDGET),
      MEMORY_RETRIEVAL_K: String(TOP_TURNS),
      ...extraEnv(),
    },
  };
}

/** Settings that describe a run, recorded in the results file. */
export const runSettings = () => ({
  BENCH_RETRIEVAL_K: process.env.BENCH_RETRIEVAL_K ?? "none",
  BENCH_PRODUCT_ENV: process.env.BENCH_PRODUCT_ENV ?? "",
  BENCH_NEAR_SAMPLE: process.env.BENCH_NEAR_SAMPLE ?? "",
});
