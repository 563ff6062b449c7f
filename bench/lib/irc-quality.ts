import { loadConfig } from "../../src/config.js";
import { promptTokens, type TokenCounter } from "../../src/core/prompt.js";
import { FakeOpenAi } from "../../test/fakes/openai-server.js";
import { bm25Outcomes, langChainOutcomes, type ProbeOutcome, productOutcomes } from "./channel-case.js";
import type { IrcSet } from "./irc-set.js";
import { createLangChainRetriever } from "./langchain-vsr.js";
import { BUDGETS, productConfigs, productTopConfig, TOP_TURNS, TOP_TURNS_BUDGET } from "./rq-configs.js";
import type { Measured } from "./rq-report.js";

/** The embeddings model name LangChain asks the fake server for (any name: the server hashes words). */
const FAKE_EMBEDDINGS_MODEL = "fake-embedding";

const log = (text: string) => process.stderr.write(`${text}\n`);

/**
 * Measures every IRC configuration side by side: the product (retrieval at each budget and top 10,
 * window and buffer) through the replay, plain BM25 and LangChain's VectorStoreRetrieverMemory in
 * process. Returns "budget" rows and "top 10" rows.
 */
export async function measureIrc(
  irc: IrcSet,
  count: TokenCounter,
): Promise<{ budget: Measured[]; top: Measured[] }> {
  const systemPrompt = loadConfig({}).SYSTEM_PROMPT;
  const tokens = (messages: Parameters<typeof promptTokens>[1]) => promptTokens(count, messages);
  const budget: Measured[] = [];
  const top: Measured[] = [];
  const product = async (label: string, config: ReturnType<typeof productTopConfig>) => {
    const started = performance.now();
    const outcomes: ProbeOutcome[][] = [];
    for (const c of irc.cases) outcomes.push(await productOutcomes(c, config.env, tokens));
    log(`  ${label} @${config.budget}: ${Math.round((performance.now() - started) / 1000)} s`);
    return { label, budget: config.budget, outcomes };
  };
  for (const config of productConfigs(["retrieval"]))
    budget.push(await product("retrieval (product)", config));
  top.push(await product("retrieval (product)", productTopConfig()));
  for (const config of productConfigs(["window", "buffer"]))
    budget.push(await product(`${config.mode} (product)`, config));

  const started = performance.now();
  const fills = [
    ...BUDGETS.map((maxTokens) => ({ maxTokens })),
    { maxTokens: TOP_TURNS_BUDGET, cap: TOP_TURNS },
  ];
  const bm25 = irc.cases.map((c) => bm25Outcomes(c, count, systemPrompt, fills));
  BUDGETS.forEach((b, i) => {
    budget.push({
      label: "plain BM25",
      budget: b,
      outcomes: bm25.map((perFill) => perFill[i] as ProbeOutcome[]),
    });
  });
  top.push({
    label: "plain BM25",
    budget: "top 10",
    outcomes: bm25.map((f) => f[BUDGETS.length] as ProbeOutcome[]),
  });
  log(`  plain BM25: ${Math.round((performance.now() - started) / 1000)} s`);

  const lcStarted = performance.now();
  const fake = await new FakeOpenAi().start();
  try {
    const lc: Array<Awaited<ReturnType<typeof langChainOutcomes>>> = [];
    for (const c of irc.cases) {
      const retriever = createLangChainRetriever({
        baseURL: fake.baseURL,
        model: FAKE_EMBEDDINGS_MODEL,
        systemPrompt,
        count,
      });
      lc.push(await langChainOutcomes(c, retriever, BUDGETS, TOP_TURNS));
      fake.requests.length = 0;
    }
    const label = "LangChain VectorStoreRetrieverMemory";
    BUDGETS.forEach((b, i) => {
      budget.push({ label, budget: b, outcomes: lc.map((r) => r.byBudget[i] as ProbeOutcome[]) });
    });
    top.push({ label, budget: "top 10", outcomes: lc.map((r) => r.top) });
  } finally {
    await fake.stop();
  }
  log(`  LangChain: ${Math.round((performance.now() - lcStarted) / 1000)} s`);
  return { budget, top };
}
