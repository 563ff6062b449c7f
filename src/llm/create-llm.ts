import type { ChatModelPort } from "../core/llm.js";
import type { TokenCounter } from "../core/prompt.js";
import { createEchoModel } from "./echo.js";
import { createOpenAiModel } from "./openai.js";

/**
 * What building a model needs, in llm/'s own terms: the composition root maps the configuration to it,
 * so this layer never reads the environment's names.
 */
export interface LlmSettings {
  /** The offline echo model, or an OpenAI-compatible server (config's `LLM_PROVIDERS`). */
  readonly provider: "openai" | "echo";
  /** The model asked for unless a call names another (a channel's own, the summary model). */
  readonly model: string;
  readonly apiKey?: string | undefined;
  /** An OpenAI-compatible server (Ollama, vLLM, LM Studio); unset: OpenAI. */
  readonly baseURL?: string | undefined;
  readonly timeoutMs: number;
  readonly maxRetries: number;
}

/** The model the settings ask for: the offline echo model, or any OpenAI-compatible server. */
export function createLlm(
  settings: LlmSettings,
  countTokens: TokenCounter,
  model = settings.model,
): ChatModelPort {
  if (settings.provider === "echo") return createEchoModel(countTokens);
  return createOpenAiModel({
    model,
    apiKey: settings.apiKey,
    baseURL: settings.baseURL,
    timeoutMs: settings.timeoutMs,
    maxRetries: settings.maxRetries,
    countTokens,
  });
}
