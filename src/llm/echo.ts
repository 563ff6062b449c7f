import type { ChatModelPort, LlmRequest, LlmResult } from "../core/llm.js";
import { promptTokens, type TokenCounter } from "../core/prompt.js";

export const ECHO_MODEL_NAME = "offline-echo";
const PREVIEW_CHARS = 60;

const shorten = (text: string) => {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > PREVIEW_CHARS ? `${line.slice(0, PREVIEW_CHARS - 1)}…` : line;
};

function describe(request: LlmRequest): string {
  const history = request.messages.slice(1, -1);
  const current = request.messages.at(-1)?.content ?? "";
  const memory = request.memory;
  const header = memory
    ? `Memory: ${memory.mode} mode, ${memory.turnsShown} of ${memory.turnsStored} stored turns in the prompt${memory.hasSummary ? ", plus a summary" : ""}.`
    : "Memory: none.";
  const lines = history.map(
    (m, i) => `  ${i + 1}. ${m.role === "assistant" ? "bot" : "user"}> ${shorten(m.content)}`,
  );
  return [
    "[offline echo model: set OPENAI_API_KEY or OPENAI_BASE_URL for real answers]",
    `You said: ${shorten(current)}`,
    header,
    ...lines,
  ].join("\n");
}

/** An offline model that answers by describing its prompt: try the bot and its memory with no key. */
export function createEchoModel(countTokens: TokenCounter): ChatModelPort {
  return {
    model: ECHO_MODEL_NAME,
    async invoke(request): Promise<LlmResult> {
      const text =
        request.purpose === "reply"
          ? describe(request)
          : `Summary: ${shorten(request.messages.at(-1)?.content ?? "")}`;
      request.onText?.(text);
      return {
        text,
        model: ECHO_MODEL_NAME,
        usage: {
          promptTokens: promptTokens(countTokens, request.messages),
          completionTokens: countTokens(text),
          source: "estimate",
        },
      };
    },
  };
}
