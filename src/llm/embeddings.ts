import { OpenAIEmbeddings } from "@langchain/openai";
import type { EmbeddingPort } from "../core/embeddings.js";
import type { TokenCounter } from "../core/prompt.js";

/** How to reach an OpenAI-compatible embeddings endpoint (OpenAI, Ollama, vLLM, LM Studio). */
export interface OpenAiEmbedderOptions {
  readonly model: string;
  readonly apiKey?: string | undefined;
  readonly baseURL?: string | undefined;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly countTokens: TokenCounter;
}

/**
 * LangChain's `OpenAIEmbeddings` behind the embedding seam. It asks for plain float vectors: the
 * OpenAI SDK otherwise requests base64, which several compatible servers do not speak.
 */
export function createOpenAiEmbedder(options: OpenAiEmbedderOptions): EmbeddingPort {
  const embeddings = new OpenAIEmbeddings({
    model: options.model,
    apiKey: options.apiKey ?? "not-needed",
    configuration: options.baseURL ? { baseURL: options.baseURL } : {},
    timeout: options.timeoutMs,
    maxRetries: options.maxRetries,
    encodingFormat: "float",
  });
  return {
    model: options.model,
    async embed(texts) {
      const vectors = await embeddings.embedDocuments([...texts]);
      const tokens = texts.reduce((sum, t) => sum + options.countTokens(t), 0);
      return { vectors, tokens };
    },
  };
}
