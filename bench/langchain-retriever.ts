import { Document } from "@langchain/core/documents";
import { loadConfig } from "../src/config.js";
import { type PromptMessage, promptTokens, userContent } from "../src/core/prompt.js";
import { createTokenCounter } from "../src/llm/tokens.js";
import { FakeOpenAi } from "../test/fakes/openai-server.js";
import { readIrcLog } from "./irc.js";
import { langChainRecall, oursRecall, type RecallEnv, type RecallRow } from "./langchain-retriever-recall.js";
import { type BenchApp, openBenchApp } from "./lib/bench-app.js";
import { asPromptMessages, langChainSide, savedText } from "./lib/langchain-side.js";
import { machine, markdownTable, percentile, writeResult } from "./lib/report.js";
import { serveTiktokenRanksOffline } from "./offline-tiktoken.js";
import { makeProbes } from "./retrieval-recall.js";

await serveTiktokenRanksOffline();

/** `--quick`: a short look (10 and 300 turns, 20 exchanges measured); the results file is overwritten. */
const QUICK = process.argv.includes("--quick");
const TURNS = QUICK ? [10, 300] : [10, 1000, 5000];
const WARMUP = 10;
const MEASURED = QUICK ? 20 : 100;
const EMBEDDINGS_MODEL = "fake-embedding";
const ANSWER = "Noted, thanks.";
const USER = "ann";
const text = (i: number) => `message ${i} about the deploy of service ${i % 13} and its rollback plan`;
/** What bench/lib/bench-app.ts `seed` stores as turn `seq`; the LangChain side gets the same texts. */
const seededText = (seq: number) => `seeded message ${seq} about topic ${seq % 97} and item ${seq % 13}`;

const defaults = loadConfig({});
/** Both sides retrieve as many earlier turns (ours capped with MEMORY_RETRIEVAL_K; unset it fills the budget). */
const K = 8;
const count = await createTokenCounter("gpt-4o-mini");
const fake = await new FakeOpenAi().start();
const embeddingCalls = () => fake.requests.filter((r) => r.path.endsWith("/embeddings")).length;
const env: RecallEnv = {
  baseURL: fake.baseURL,
  embeddingsModel: EMBEDDINGS_MODEL,
  k: K,
  systemPrompt: defaults.SYSTEM_PROMPT,
  count,
  embeddingCalls,
};

/** The prompt messages the bot last sent to its (zero-latency) model. */
function capturePrompts(bench: BenchApp): () => readonly PromptMessage[] {
  const llm = bench.app.llm;
  const invoke = llm.invoke.bind(llm);
  let last: readonly PromptMessage[] = [];
  llm.invoke = async (request) => {
    if (request.purpose === "reply") last = request.messages;
    return invoke(request);
  };
  return () => last;
}

interface Side {
  readonly name: string;
  /** Brings the side to `target` stored turns. */
  seed(target: number): Promise<void>;
  /** One exchange: returns the prompt tokens it sent. */
  exchange(i: number): Promise<number>;
}

interface Sample {
  times: number[];
  tokens: number[];
  embeddingCalls: number;
}

// --- 1. Overhead per exchange -------------------------------------------------------------------------

async function overhead(): Promise<Array<Record<string, unknown>>> {
  const lc = langChainSide(env);
  // The format replicated for batch seeding must be the one saveContext writes.
  {
    const probe = langChainSide(env);
    await probe.memory.saveContext({ input: "a" }, { output: "b" });
    const stored = probe.store.memoryVectors[0]?.content;
    if (stored !== savedText("a", "b")) throw new Error(`saveContext stores ${JSON.stringify(stored)}`);
  }
  let lcStored = 0;
  const bm25 = await openBenchApp("redis", { MEMORY_MODE: "retrieval", MEMORY_RETRIEVAL_K: String(K) });
  const hybrid = await openBenchApp("redis", {
    MEMORY_MODE: "retrieval",
    MEMORY_RETRIEVAL_K: String(K),
    // A real embedder needs a provider that is not the offline echo; the reply model stays the zero one.
    LLM_PROVIDER: "openai",
    OPENAI_BASE_URL: fake.baseURL,
    EMBEDDINGS_MODEL,
  });
  const ours = (bench: BenchApp, name: string): Side => {
    const lastPrompt = capturePrompts(bench);
    let stored = 0;
    return {
      name,
      async seed(target) {
        await bench.seed("vsr", target - stored);
        stored = target;
      },
      async exchange(i) {
        await bench.exchange("vsr", text(i));
        stored += 1;
        return promptTokens(count, lastPrompt());
      },
    };
  };
  const sides: Side[] = [
    {
      name: "langchain",
      async seed(target) {
        const docs: Document[] = [];
        for (; lcStored < target; lcStored++)
          docs.push(
            new Document({ pageContent: savedText(userContent(USER, seededText(lcStored)), ANSWER) }),
          );
        for (let i = 0; i < docs.length; i += 1000) await lc.store.addDocuments(docs.slice(i, i + 1000));
      },
      async exchange(i) {
        const input = userContent(USER, text(i));
        const { history } = await lc.memory.loadMemoryVariables({ input });
        const messages = await lc.prompt.formatMessages({ history, input });
        await lc.memory.saveContext({ input }, { output: ANSWER });
        lcStored += 1;
        return promptTokens(count, asPromptMessages(messages));
      },
    },
    ours(bm25, "ours-bm25"),
    ours(hybrid, "ours-hybrid"),
  ];
  const rows: Array<Record<string, unknown>> = [];
  try {
    let offset = 0;
    for (const target of TURNS) {
      const seedSeconds: Record<string, number> = {};
      for (const side of sides) {
        const started = performance.now();
        // Seeded up to `target` turns, counting the exchanges measured at the smaller sizes.
        await side.seed(target);
        seedSeconds[side.name] = Math.round((performance.now() - started) / 100) / 10;
      }
      const samples = new Map<string, Sample>(
        sides.map((s) => [s.name, { times: [], tokens: [], embeddingCalls: 0 }]),
      );
      // Interleaved, one exchange per side in turn, so load from elsewhere hits every side alike.
      for (let i = 0; i < WARMUP + MEASURED; i++) {
        for (const side of sides) {
          const sample = samples.get(side.name) as Sample;
          const calls = embeddingCalls();
          const started = performance.now();
          const tokens = await side.exchange(offset + i);
          const ms = performance.now() - started;
          if (i < WARMUP) continue;
          sample.times.push(ms);
          sample.tokens.push(tokens);
          sample.embeddingCalls += embeddingCalls() - calls;
        }
      }
      offset += WARMUP + MEASURED;
      fake.requests.length = 0;
      const stat = (name: string) => {
        const s = samples.get(name) as Sample;
        const sorted = [...s.times].sort((a, b) => a - b);
        return {
          p50: percentile(sorted, 50),
          p99: percentile(sorted, 99),
          tokens: s.tokens.reduce((a, b) => a + b, 0) / s.tokens.length,
          calls: s.embeddingCalls / s.times.length,
        };
      };
      const [l, b, h] = [stat("langchain"), stat("ours-bm25"), stat("ours-hybrid")];
      const r3 = (x: number) => Number(x.toFixed(3));
      rows.push({
        storedTurns: target,
        langchainP50Ms: r3(l.p50),
        bm25P50Ms: r3(b.p50),
        hybridP50Ms: r3(h.p50),
        ratioBm25: Number((l.p50 / b.p50).toFixed(2)),
        ratioHybrid: Number((l.p50 / h.p50).toFixed(2)),
        langchainP99Ms: r3(l.p99),
        bm25P99Ms: r3(b.p99),
        hybridP99Ms: r3(h.p99),
        langchainEmbeddingCalls: r3(l.calls),
        bm25EmbeddingCalls: r3(b.calls),
        hybridEmbeddingCalls: r3(h.calls),
        langchainPromptTokens: Math.round(l.tokens),
        bm25PromptTokens: Math.round(b.tokens),
        hybridPromptTokens: Math.round(h.tokens),
        seedSeconds,
      });
      console.error(JSON.stringify(rows.at(-1)));
    }
  } finally {
    await bm25.close();
    await hybrid.close();
  }
  return rows;
}

/** One bare embedding call on the fake server (OpenAIEmbeddings.embedQuery): what each side pays per call. */
async function embeddingCallMs(): Promise<{ p50: number; p99: number }> {
  const { store } = langChainSide(env);
  const times: number[] = [];
  for (let i = 0; i < WARMUP + MEASURED; i++) {
    const started = performance.now();
    await store.embeddings.embedQuery(text(i));
    if (i >= WARMUP) times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: Number(percentile(times, 50).toFixed(3)), p99: Number(percentile(times, 99).toFixed(3)) };
}

// --- run ------------------------------------------------------------------------------------------------

const started = performance.now();
const meta = machine();
let overheadRows: Array<Record<string, unknown>>;
let oneEmbeddingCall: { p50: number; p99: number };
let recallRows: RecallRow[];
let avgTurnsBack: number;
let storedMessages: number;
try {
  overheadRows = await overhead();
  oneEmbeddingCall = await embeddingCallMs();
  const messages = readIrcLog();
  const probes = makeProbes(messages);
  storedMessages = messages.length;
  avgTurnsBack = Math.round(
    probes.reduce((n, p) => n + (messages.length - p.targetIndex), 0) / probes.length,
  );
  recallRows = [
    await langChainRecall(env, messages, probes),
    await oursRecall(env, `ours, retrieval BM25 only (k=${K})`, messages, probes, false),
    await oursRecall(env, `ours, retrieval hybrid (k=${K})`, messages, probes, true),
  ];
  fake.requests.length = 0;
} finally {
  await fake.stop();
}

const timeTable = markdownTable(
  [
    "stored turns",
    "LangChain p50 ms",
    "ours BM25 p50 ms",
    "ours hybrid p50 ms",
    "LangChain / ours BM25",
    "LangChain / ours hybrid",
    "LangChain p99 ms",
    "ours BM25 p99 ms",
    "ours hybrid p99 ms",
  ],
  overheadRows.map((r) => [
    r.storedTurns,
    r.langchainP50Ms,
    r.bm25P50Ms,
    r.hybridP50Ms,
    r.ratioBm25,
    r.ratioHybrid,
    r.langchainP99Ms,
    r.bm25P99Ms,
    r.hybridP99Ms,
  ]),
);
const perExchangeTable = markdownTable(
  [
    "stored turns",
    "embedding calls / exchange (LangChain, BM25, hybrid)",
    "prompt tokens / exchange (LangChain, BM25, hybrid)",
  ],
  overheadRows.map((r) => [
    r.storedTurns,
    `${r.langchainEmbeddingCalls}, ${r.bm25EmbeddingCalls}, ${r.hybridEmbeddingCalls}`,
    `${r.langchainPromptTokens}, ${r.bm25PromptTokens}, ${r.hybridPromptTokens}`,
  ]),
);
const recallTable = markdownTable(
  ["memory", "target message in the prompt", "avg prompt tokens", "embedding calls / probe"],
  recallRows.map((r) => [
    r.memory,
    `${r.hits}/${r.probes} (${Math.round((100 * r.hits) / r.probes)}%)`,
    r.avgPromptTokens,
    r.embeddingCallsPerProbe,
  ]),
);
const table = [
  timeTable,
  "",
  `One embedding call on the local fake server alone: p50 ${oneEmbeddingCall.p50} ms, p99 ${oneEmbeddingCall.p99} ms.`,
  "",
  perExchangeTable,
  "",
  `Recall: ${recallRows[0]?.probes} probes over ${storedMessages} IRC messages, each about one message ${avgTurnsBack} turns back on average.`,
  "",
  recallTable,
].join("\n");
writeResult("langchain-retriever", {
  machine: meta,
  loadAverage1mAtEnd: machine().loadAverage1m,
  seconds: Math.round((performance.now() - started) / 100) / 10,
  k: K,
  embeddings:
    "test/fakes/openai-server.ts: 64 dimensions, each lower-cased [a-z0-9]+ word hashed (FNV-1a) to one dimension and counted, L2-normalized; lexical, not semantic",
  langchain:
    "@langchain/classic 1.0.43 VectorStoreRetrieverMemory + MemoryVectorStore, @langchain/openai OpenAIEmbeddings",
  warmup: WARMUP,
  measured: MEASURED,
  overhead: overheadRows,
  oneEmbeddingCallMs: oneEmbeddingCall,
  recall: recallRows,
  table,
});
console.log(table);
