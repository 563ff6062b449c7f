import type { Config } from "./config.js";
import type { EmbedderSettings } from "./llm/create-embedder.js";
import type { LlmSettings } from "./llm/create-llm.js";

/** The model settings in llm/'s terms: the one place llm/ meets the environment's names. */
export function llmSettings(config: Config): LlmSettings {
  return {
    provider: config.LLM_PROVIDER,
    model: config.OPENAI_MODEL,
    apiKey: config.OPENAI_API_KEY,
    baseURL: config.OPENAI_BASE_URL,
    timeoutMs: config.LLM_TIMEOUT_MS,
    maxRetries: config.LLM_MAX_RETRIES,
  };
}

/** The embedder's settings: the chat model's server, with `EMBEDDINGS_MODEL` (unset: no embedder). */
export function embedderSettings(config: Config): EmbedderSettings {
  return { ...llmSettings(config), model: config.EMBEDDINGS_MODEL };
}
