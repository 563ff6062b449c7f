import { loadConfig } from "../../src/config.js";
import { promptTokens, type TokenCounter } from "../../src/core/prompt.js";
import { bm25Outcomes, type ProbeOutcome, productOutcomes } from "./channel-case.js";
import type { LanguageCase } from "./multilingual.js";
import { BUDGETS, productConfigs, productTopConfig, TOP_TURNS, TOP_TURNS_BUDGET } from "./rq-configs.js";
import type { Measured } from "./rq-report.js";

/**
 * The multilingual set, each language's channel replayed once per configuration with its questions
 * at the end: the product's retrieval (each budget and top 10) and window, plain BM25 the same way.
 */
export async function measureMultilingual(
  languages: readonly LanguageCase[],
  count: TokenCounter,
): Promise<Measured[]> {
  const systemPrompt = loadConfig({}).SYSTEM_PROMPT;
  const tokens = (messages: Parameters<typeof promptTokens>[1]) => promptTokens(count, messages);
  const measured: Measured[] = [];
  const product = async (label: string, config: ReturnType<typeof productTopConfig>) => {
    const outcomes: ProbeOutcome[][] = [];
    for (const l of languages) outcomes.push(await productOutcomes(l.case, config.env, tokens));
    measured.push({ label, budget: config.budget, outcomes });
  };
  for (const config of productConfigs(["retrieval"])) await product("retrieval (product)", config);
  await product("retrieval (product)", productTopConfig());
  const fills = [
    ...BUDGETS.map((maxTokens) => ({ maxTokens })),
    { maxTokens: TOP_TURNS_BUDGET, cap: TOP_TURNS },
  ];
  const bm25 = languages.map((l) => bm25Outcomes(l.case, count, systemPrompt, fills));
  [...BUDGETS, "top 10" as const].forEach((budget, i) => {
    measured.push({ label: "plain BM25", budget, outcomes: bm25.map((f) => f[i] as ProbeOutcome[]) });
  });
  for (const config of productConfigs(["window"])) await product("window (product)", config);
  return measured;
}
