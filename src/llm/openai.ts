import { AIMessage, type BaseMessage, HumanMessage, SystemMessage } from "@langchain/core/messages";
import { ChatOpenAI } from "@langchain/openai";
import { type ChatModelPort, LlmError, type LlmRequest, type LlmResult } from "../core/llm.js";
import { type PromptMessage, promptTokens, type TokenCounter } from "../core/prompt.js";

/** How to reach an OpenAI-compatible server (OpenAI, Ollama, vLLM, LM Studio). */
export interface OpenAiModelOptions {
  readonly model: string;
  readonly apiKey?: string | undefined;
  readonly baseURL?: string | undefined;
  /** Bound on one whole call, retries included. */
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly countTokens: TokenCounter;
}

/**
 * The client fields every LangChain OpenAI class here takes the same way. Local OpenAI-compatible
 * servers (Ollama, vLLM, LM Studio) accept any key, so a missing one is sent as a placeholder.
 */
export function openAiClientFields(options: OpenAiModelOptions) {
  return {
    model: options.model,
    apiKey: options.apiKey ?? "not-needed",
    configuration: options.baseURL ? { baseURL: options.baseURL } : {},
    timeout: options.timeoutMs,
    maxRetries: options.maxRetries,
  };
}

function toLangChain(messages: readonly PromptMessage[]): BaseMessage[] {
  return messages.map((m) => {
    if (m.role === "system") return new SystemMessage(m.content);
    if (m.role === "assistant") return new AIMessage(m.content);
    return new HumanMessage(m.content);
  });
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content
      .map((part) => (typeof part === "object" && part && "text" in part ? String(part.text) : ""))
      .join("");
  }
  return "";
}

function statusOf(error: unknown): number | undefined {
  if (typeof error === "object" && error !== null && "status" in error && typeof error.status === "number") {
    return error.status;
  }
  return undefined;
}

function toLlmError(error: unknown, timeoutMs: number): LlmError {
  if (error instanceof LlmError) return error;
  const status = statusOf(error);
  const name = error instanceof Error ? error.name : "";
  if (name === "AbortError" || name === "TimeoutError" || /timed? ?out|aborted/i.test(String(error))) {
    return new LlmError(`Model call timed out after ${timeoutMs} ms`, status, { cause: error });
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new LlmError(`Model call failed${status ? ` (HTTP ${status})` : ""}: ${reason}`, status, {
    cause: error,
  });
}

/**
 * The LangChain chat model behind the bot's replies. Streaming uses `.stream()`, not
 * `streaming: true`: the latter estimates tokens with `getNumTokens`, which fetches tokenizer
 * ranks from the internet. Usage comes from the server when reported, else from the local tokenizer.
 */
export function createOpenAiModel(options: OpenAiModelOptions): ChatModelPort {
  const chat = new ChatOpenAI({
    ...openAiClientFields(options),
    streamUsage: true,
  });

  type Usage = { input_tokens: number; output_tokens: number } | undefined;

  async function call(request: LlmRequest, signal: AbortSignal): Promise<{ text: string; usage: Usage }> {
    const messages = toLangChain(request.messages);
    if (!request.onText) {
      const message = await chat.invoke(messages, { signal });
      return { text: textOf(message.content), usage: message.usage_metadata };
    }
    let text = "";
    let usage: Usage;
    for await (const chunk of await chat.stream(messages, { signal })) {
      const piece = textOf(chunk.content);
      if (piece) {
        text += piece;
        request.onText(text);
      }
      if (chunk.usage_metadata) usage = chunk.usage_metadata;
    }
    return { text, usage };
  }

  return {
    model: options.model,
    async invoke(request): Promise<LlmResult> {
      const deadline = AbortSignal.timeout(options.timeoutMs);
      const signal = request.signal ? AbortSignal.any([deadline, request.signal]) : deadline;
      let result: Awaited<ReturnType<typeof call>>;
      try {
        result = await call(request, signal);
      } catch (error) {
        throw toLlmError(error, options.timeoutMs);
      }
      if (!result.text.trim()) throw new LlmError("Model returned an empty answer");
      const reported = result.usage;
      const usage =
        reported && Number.isFinite(reported.input_tokens) && Number.isFinite(reported.output_tokens)
          ? {
              promptTokens: reported.input_tokens,
              completionTokens: reported.output_tokens,
              source: "provider" as const,
            }
          : {
              promptTokens: promptTokens(options.countTokens, request.messages),
              completionTokens: options.countTokens(result.text),
              source: "estimate" as const,
            };
      return { text: result.text, model: options.model, usage };
    },
  };
}
