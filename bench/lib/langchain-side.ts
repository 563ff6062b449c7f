// LangChain's side of the retriever benchmark: VectorStoreRetrieverMemory as its docs set it up, and
// what it stores and sends, in our prompt types.
import { VectorStoreRetrieverMemory } from "@langchain/classic/memory";
import { MemoryVectorStore } from "@langchain/classic/vectorstores/memory";
import type { BaseMessage } from "@langchain/core/messages";
import { ChatPromptTemplate } from "@langchain/core/prompts";
import { OpenAIEmbeddings } from "@langchain/openai";
import type { PromptMessage } from "../../src/core/prompt.js";

/** Where LangChain's embeddings go and what its memory is set to. */
export interface LangChainEnv {
  readonly baseURL: string;
  readonly embeddingsModel: string;
  readonly k: number;
  readonly systemPrompt: string;
}

/**
 * LangChain's side: VectorStoreRetrieverMemory over an in-process MemoryVectorStore (LangChain's Redis
 * vector store needs RediSearch, which the Redis here lacks), k = ours, OpenAIEmbeddings on the fake
 * server with our embedder's model name and float encoding, and the prompt of LangChain's documented
 * VectorStoreRetrieverMemory example with our system prompt in front.
 */
export function langChainSide(env: LangChainEnv) {
  const embeddings = new OpenAIEmbeddings({
    model: env.embeddingsModel,
    apiKey: "not-needed",
    configuration: { baseURL: env.baseURL },
    encodingFormat: "float",
  });
  const store = new MemoryVectorStore(embeddings);
  const memory = new VectorStoreRetrieverMemory({
    vectorStoreRetriever: store.asRetriever(env.k),
    memoryKey: "history",
    inputKey: "input",
  });
  const prompt = ChatPromptTemplate.fromMessages([
    [
      "system",
      `${env.systemPrompt}\n\nRelevant pieces of previous conversation:\n{history}\n\n(You do not need to use these pieces of information if not relevant)`,
    ],
    ["human", "{input}"],
  ]);
  return { store, memory, prompt };
}

/** The document `saveContext` stores for one exchange (checked against LangChain's own below). */
export const savedText = (input: string, output?: string) =>
  output === undefined ? `input: ${input}` : `input: ${input}\noutput: ${output}`;

export const asPromptMessages = (messages: readonly BaseMessage[]): PromptMessage[] =>
  messages.map((m) => ({
    role: m.getType() === "system" ? "system" : m.getType() === "ai" ? "assistant" : "user",
    content: typeof m.content === "string" ? m.content : JSON.stringify(m.content),
  }));
