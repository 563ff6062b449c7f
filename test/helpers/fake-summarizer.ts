import type { ChatModelPort, LlmRequest } from "../../src/core/llm.js";
import { LlmError } from "../../src/core/llm.js";
import { promptTokens, type TokenCounter } from "../../src/core/prompt.js";

/** Words in capitals (PELICAN, ZEBRA42): the "facts" tests plant and look for in summaries. */
export const FACT_WORD = /\b[A-Z][A-Z0-9]{2,}\b/g;

/**
 * An in-process summary model that keeps every fact word of the old summary and the new messages,
 * so tests can check that facts survive summarization. It records requests and can fail on demand.
 */
export function factSummarizer(countTokens: TokenCounter) {
  const requests: LlmRequest[] = [];
  let failures = 0;
  const model: ChatModelPort & { requests: LlmRequest[]; failNext(n: number): void } = {
    model: "fact-summarizer",
    requests,
    failNext(n) {
      failures += n;
    },
    async invoke(request) {
      requests.push(request);
      if (failures > 0) {
        failures -= 1;
        throw new LlmError("fake summary failure", 503);
      }
      const input = request.messages.at(-1)?.content ?? "";
      const facts = [...new Set(input.replace(/\(none yet\)/g, "").match(FACT_WORD) ?? [])];
      const text = `Facts so far: ${facts.join(" ") || "none"}.`;
      return {
        text,
        model: "fact-summarizer",
        usage: {
          promptTokens: promptTokens(countTokens, request.messages),
          completionTokens: countTokens(text),
          source: "estimate",
        },
      };
    },
  };
  return model;
}
