import { VectorStoreRetrieverMemory } from "@langchain/classic/memory";
import { MemoryVectorStore } from "@langchain/classic/vectorstores/memory";
import { Document } from "@langchain/core/documents";
import type { BaseMessage } from "@langchain/core/messages";
import { ChatPromptTemplate } from "@langchain/core/prompts";
import { OpenAIEmbeddings } from "@langchain/openai";
import { type PromptMessage, promptTokens, type TokenCounter, userContent } from "../../src/core/prompt.js";

/** Documents the retriever returns per question, more than any budget here holds, so the budget decides. */
export const LANGCHAIN_K = 300;

/** What the retriever put in a prompt of a given budget, and the prompt's exact tokens. */
export interface LangChainPick {
  /** Ids of the documents in the prompt, best first. */
  readonly ids: readonly number[];
  readonly promptTokens: number;
}

const asPromptMessages = (messages: readonly BaseMessage[]): PromptMessage[] =>
  messages.map((m) => ({
    role: m.getType() === "system" ? "system" : m.getType() === "ai" ? "assistant" : "user",
    content: typeof m.content === "string" ? m.content : JSON.stringify(m.content),
  }));

/**
 * LangChain's classic `VectorStoreRetrieverMemory` over a `MemoryVectorStore` with `OpenAIEmbeddings`
 * against a local OpenAI-compatible server, set up as bench/langchain-retriever.ts does: each message
 * is stored as `saveContext({ input: "nick: text" })` would store it, and the prompt is LangChain's
 * documented example with our system prompt. Messages are added in batches just before a question,
 * so only earlier messages can be found.
 */
export function createLangChainRetriever(options: {
  baseURL: string;
  model: string;
  systemPrompt: string;
  count: TokenCounter;
}) {
  const embeddings = new OpenAIEmbeddings({
    model: options.model,
    apiKey: "not-needed",
    configuration: { baseURL: options.baseURL },
    encodingFormat: "float",
  });
  const store = new MemoryVectorStore(embeddings);
  const memory = new VectorStoreRetrieverMemory({
    vectorStoreRetriever: store.asRetriever(LANGCHAIN_K),
    memoryKey: "history",
    inputKey: "input",
    returnDocs: true,
  });
  const prompt = ChatPromptTemplate.fromMessages([
    [
      "system",
      `${options.systemPrompt}\n\nRelevant pieces of previous conversation:\n{history}\n\n(You do not need to use these pieces of information if not relevant)`,
    ],
    ["human", "{input}"],
  ]);
  let pending: Document[] = [];
  const tokensOf = async (docs: readonly Document[], input: string) =>
    promptTokens(
      options.count,
      asPromptMessages(
        await prompt.formatMessages({ history: docs.map((d) => d.pageContent).join("\n\n"), input }),
      ),
    );
  return {
    /** Stores a message (embedded with the next question's batch). */
    add(id: number, user: string, text: string): void {
      pending.push(new Document({ pageContent: `input: ${userContent(user, text)}`, metadata: { id } }));
    },
    /** For a question: the prefix of the ranked documents that fits each budget, and the top `top` of them. */
    async ask(
      user: string,
      text: string,
      budgets: readonly number[],
      top: number,
    ): Promise<{ fits: LangChainPick[]; top: LangChainPick }> {
      if (pending.length > 0) {
        await store.addDocuments(pending);
        pending = [];
      }
      const input = userContent(user, text);
      const { history } = await memory.loadMemoryVariables({ input });
      const docs = history as Document[];
      const base = await tokensOf([], input);
      const fits: LangChainPick[] = [];
      for (const budget of budgets) {
        const taken: Document[] = [];
        let used = base;
        for (const doc of docs) {
          const cost = options.count(doc.pageContent) + 1;
          if (used + cost > budget) break;
          used += cost;
          taken.push(doc);
        }
        let exact = await tokensOf(taken, input);
        while (exact > budget && taken.length > 0) {
          taken.pop();
          exact = await tokensOf(taken, input);
        }
        fits.push({ ids: taken.map((d) => d.metadata.id as number), promptTokens: exact });
      }
      const best = docs.slice(0, top);
      const ids = (list: readonly Document[]) => list.map((d) => d.metadata.id as number);
      return { fits, top: { ids: ids(best), promptTokens: await tokensOf(best, input) } };
    },
  };
}
