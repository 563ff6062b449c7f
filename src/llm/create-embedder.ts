import type { EmbeddingPort } from "../core/embeddings.js";
import type { TokenCounter } from "../core/prompt.js";
import type { Logger } from "../log.js";
import type { LlmSettings } from "./create-llm.js";
import { createOpenAiEmbedder } from "./embeddings.js";

/** The chat model's server settings, with the embeddings model in place of the chat model (unset: none). */
export interface EmbedderSettings extends Omit<LlmSettings, "model"> {
  readonly model: string | undefined;
}

/**
 * The embedder the settings ask for, on the same OpenAI-compatible server as the chat model.
 * None when no model is named, and none with the offline echo provider (it has no server to ask).
 */
export function createEmbedder(
  settings: EmbedderSettings,
  countTokens: TokenCounter,
  logger: Logger,
): EmbeddingPort | undefined {
  if (!settings.model) return undefined;
  if (settings.provider === "echo") {
    logger.warn({ model: settings.model }, "EMBEDDINGS_MODEL is ignored with the offline echo model");
    return undefined;
  }
  return createOpenAiEmbedder({
    model: settings.model,
    apiKey: settings.apiKey,
    baseURL: settings.baseURL,
    timeoutMs: settings.timeoutMs,
    maxRetries: settings.maxRetries,
    countTokens,
  });
}
