import type { Config } from "../config.js";
import type { EmbeddingPort } from "../core/embeddings.js";
import type { TokenCounter } from "../core/prompt.js";
import type { Logger } from "../log.js";
import { createOpenAiEmbedder } from "./embeddings.js";

/**
 * The embedder `EMBEDDINGS_MODEL` asks for, on the same OpenAI-compatible server as the chat model.
 * None when it is unset, and none with the offline echo provider (it has no server to ask).
 */
export function createEmbedder(
  config: Config,
  countTokens: TokenCounter,
  logger: Logger,
): EmbeddingPort | undefined {
  if (!config.EMBEDDINGS_MODEL) return undefined;
  if (config.LLM_PROVIDER === "echo") {
    logger.warn(
      { model: config.EMBEDDINGS_MODEL },
      "EMBEDDINGS_MODEL is ignored with the offline echo model",
    );
    return undefined;
  }
  return createOpenAiEmbedder({
    model: config.EMBEDDINGS_MODEL,
    apiKey: config.OPENAI_API_KEY,
    baseURL: config.OPENAI_BASE_URL,
    timeoutMs: config.LLM_TIMEOUT_MS,
    maxRetries: config.LLM_MAX_RETRIES,
    countTokens,
  });
}
