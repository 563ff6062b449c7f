import type { Config } from "../config.js";
import type { ChatModelPort } from "../core/llm.js";
import type { TokenCounter } from "../core/prompt.js";
import { createEchoModel } from "./echo.js";
import { createOpenAiModel } from "./openai.js";

/** The model the config asks for: the offline echo model, or any OpenAI-compatible server. */
export function createLlm(
  config: Config,
  countTokens: TokenCounter,
  model = config.OPENAI_MODEL,
): ChatModelPort {
  if (config.LLM_PROVIDER === "echo") return createEchoModel(countTokens);
  return createOpenAiModel({
    model,
    apiKey: config.OPENAI_API_KEY,
    baseURL: config.OPENAI_BASE_URL,
    timeoutMs: config.LLM_TIMEOUT_MS,
    maxRetries: config.LLM_MAX_RETRIES,
    countTokens,
  });
}
