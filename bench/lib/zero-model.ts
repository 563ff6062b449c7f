import type { ChatModelPort, LlmRequest } from "../../src/core/llm.js";
import type { PromptMessage } from "../../src/core/prompt.js";

/**
 * A model that answers at once with a fixed text and fixed reported usage, so a benchmark measures
 * the bot's own work (store, memory, prompt, ledger) and nothing of a model or its tokenizer.
 */
export function createZeroModel(
  name = "zero-model",
): ChatModelPort & { calls: number; lastMessages: readonly PromptMessage[] } {
  const model = {
    model: name,
    calls: 0,
    lastMessages: [] as readonly PromptMessage[],
    async invoke(request: LlmRequest) {
      model.calls += 1;
      model.lastMessages = request.messages;
      return {
        text: "Noted, thanks.",
        model: name,
        usage: { promptTokens: 100, completionTokens: 5, source: "provider" as const },
      };
    },
  };
  return model;
}
