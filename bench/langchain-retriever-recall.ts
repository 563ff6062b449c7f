// Recall over the IRC fixture for the retriever benchmark: the bot's retrieval (lexical and hybrid)
// and LangChain's VectorStoreRetrieverMemory, asked the same probes.
import { Document } from "@langchain/core/documents";
import pino from "pino";
import { loadConfig } from "../src/config.js";
import { type PromptMessage, promptTokens, type TokenCounter, userContent } from "../src/core/prompt.js";
import { createOpenAiEmbedder } from "../src/llm/embeddings.js";
import { parseReplayInput } from "../src/replay/input.js";
import { runReplay } from "../src/replay/run-replay.js";
import type { IrcMessage } from "./irc.js";
import { asPromptMessages, type LangChainEnv, langChainSide, savedText } from "./lib/langchain-side.js";
import type { makeProbes } from "./retrieval-recall.js";
import { replayRows } from "./retrieval-recall.js";

/** The fake server's embeddings and the counter both sides are measured with. */
export interface RecallEnv extends LangChainEnv {
  readonly count: TokenCounter;
  /** Embedding calls the fake server has answered so far. */
  embeddingCalls(): number;
}

export interface RecallRow {
  memory: string;
  probes: number;
  hits: number;
  avgPromptTokens: number;
  embeddingCallsPerProbe: number;
}

export type Probe = ReturnType<typeof makeProbes>[number];

export async function oursRecall(
  env: RecallEnv,
  name: string,
  messages: readonly IrcMessage[],
  probes: readonly Probe[],
  hybrid: boolean,
): Promise<RecallRow> {
  const rows = replayRows(messages, probes);
  const config = loadConfig({
    LLM_PROVIDER: "echo",
    STORE_URL: "memory://",
    MEMORY_LISTEN: "all",
    MEMORY_MODE: "retrieval",
    MEMORY_RETRIEVAL_K: String(env.k),
  });
  const out: Array<{ prompt?: PromptMessage[]; llmCalls?: { embedding: number } }> = [];
  await runReplay({
    config,
    lines: parseReplayInput(rows.map((r) => JSON.stringify(r)).join("\n")),
    trace: true,
    logger: pino({ level: "silent" }),
    write: (line) => out.push(JSON.parse(line)),
    embedder: hybrid
      ? createOpenAiEmbedder({
          model: env.embeddingsModel,
          baseURL: env.baseURL,
          timeoutMs: 60_000,
          maxRetries: 0,
          countTokens: env.count,
        })
      : undefined,
  });
  const answers = out.slice(0, -1);
  let hits = 0;
  let tokens = 0;
  let calls = 0;
  for (const [i, a] of answers.entries()) {
    const prompt = a.prompt ?? [];
    if (
      prompt
        .map((m) => m.content)
        .join("\n")
        .includes((probes[i] as Probe).target.text)
    )
      hits++;
    tokens += promptTokens(env.count, prompt);
    calls += a.llmCalls?.embedding ?? 0;
  }
  return {
    memory: name,
    probes: answers.length,
    hits,
    avgPromptTokens: Math.round(tokens / answers.length),
    embeddingCallsPerProbe: calls / answers.length,
  };
}

export async function langChainRecall(
  env: RecallEnv,
  messages: readonly IrcMessage[],
  probes: readonly Probe[],
): Promise<RecallRow> {
  const lc = langChainSide(env);
  // What saveContext({ input: "nick: text" }, {}) stores for each message, embedded in batches.
  const docs = messages.map((m) => new Document({ pageContent: savedText(userContent(m.user, m.text)) }));
  for (let i = 0; i < docs.length; i += 1000) await lc.store.addDocuments(docs.slice(i, i + 1000));
  let hits = 0;
  let tokens = 0;
  const calls = env.embeddingCalls();
  for (const p of probes) {
    // Answered, not saved: as the replay does with probes.
    const input = userContent("asker", p.question);
    const { history } = await lc.memory.loadMemoryVariables({ input });
    const prompt = await lc.prompt.formatMessages({ history, input });
    if (String(history).includes(p.target.text)) hits++;
    tokens += promptTokens(env.count, asPromptMessages(prompt));
  }
  return {
    memory: `VectorStoreRetrieverMemory (k=${env.k})`,
    probes: probes.length,
    hits,
    avgPromptTokens: Math.round(tokens / probes.length),
    embeddingCallsPerProbe: (env.embeddingCalls() - calls) / probes.length,
  };
}
