import { createSummaryMode } from "./summary/engine.js";
import type { Memory, MemoryServices, MemorySettings } from "./types.js";

/** Share of the prompt budget the verbatim recent turns may fill before older ones are summarized. */
export const BUFFER_SHARE = 0.45;

const bufferTokens = (settings: MemorySettings) => Math.floor(settings.maxPromptTokens * BUFFER_SHARE);

/**
 * The summary of older turns plus the most recent turns verbatim. Once the verbatim turns pass
 * `BUFFER_SHARE` of the budget, the oldest are summarized down to half that in one call, so calls
 * come once per half-buffer of new conversation, not on every turn once the buffer is full.
 */
export function createSummaryBufferMemory(services: MemoryServices): Memory {
  return createSummaryMode(
    {
      name: "summary-buffer",
      description: "a summary of older turns plus the most recent turns verbatim",
      policy: { triggerTokens: bufferTokens, keepTokens: (s) => Math.floor(bufferTokens(s) / 2) },
    },
    services,
  );
}
