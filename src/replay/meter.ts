import type { EmbeddingPort } from "../core/embeddings.js";
import type { ChatModelPort, LlmPurpose } from "../core/llm.js";
import type { PromptMessage } from "../core/prompt.js";

/** Calls and tokens the replay attributes to one input line (or totals per channel). */
export interface Metered {
  promptTokens: number;
  completionTokens: number;
  llmCalls: Record<LlmPurpose, number>;
}

export const emptyMetered = (): Metered => ({
  promptTokens: 0,
  completionTokens: 0,
  llmCalls: { reply: 0, summary: 0, embedding: 0 },
});

export function addMetered(into: Metered, from: Metered): void {
  into.promptTokens += from.promptTokens;
  into.completionTokens += from.completionTokens;
  for (const purpose of Object.keys(from.llmCalls) as LlmPurpose[])
    into.llmCalls[purpose] += from.llmCalls[purpose];
}

/**
 * Wraps the model ports so every call (reply, summary, embedding) is counted against the line being
 * replayed; lines are replayed one at a time, so "current" is unambiguous. Failed calls count as
 * calls with no tokens.
 */
export function createMeter() {
  let current = emptyMetered();
  let prompt: readonly PromptMessage[] | undefined;
  const count = (purpose: LlmPurpose, promptTokens: number, completionTokens: number) => {
    current.llmCalls[purpose] += 1;
    current.promptTokens += promptTokens;
    current.completionTokens += completionTokens;
  };
  return {
    chat(port: ChatModelPort): ChatModelPort {
      return {
        model: port.model,
        async invoke(request) {
          if (request.purpose === "reply") prompt = request.messages;
          try {
            const result = await port.invoke(request);
            count(request.purpose, result.usage.promptTokens, result.usage.completionTokens);
            return result;
          } catch (error) {
            count(request.purpose, 0, 0);
            throw error;
          }
        },
      };
    },
    embedder(port: EmbeddingPort): EmbeddingPort {
      return {
        model: port.model,
        async embed(texts) {
          try {
            const result = await port.embed(texts);
            count("embedding", result.tokens, 0);
            return result;
          } catch (error) {
            count("embedding", 0, 0);
            throw error;
          }
        },
      };
    },
    /** What the line just replayed cost, and the reply prompt it sent; starts the next line at zero. */
    take(): { metered: Metered; prompt: readonly PromptMessage[] | undefined } {
      const taken = { metered: current, prompt };
      current = emptyMetered();
      prompt = undefined;
      return taken;
    },
  };
}
