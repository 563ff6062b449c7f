import { createSummaryMode } from "./summary/engine.js";
import type { Memory, MemoryServices } from "./types.js";

/**
 * A running summary and nothing else verbatim but the turns of the batch still gathering: the
 * cheapest way to remember a long channel. One summary call per `MEMORY_SUMMARY_TRIGGER_TOKENS`
 * tokens of new turns, never one per turn.
 */
export function createSummaryMemory(services: MemoryServices): Memory {
  return createSummaryMode(
    {
      name: "summary",
      description: "a running summary, updated once enough new turns have gathered",
      policy: { triggerTokens: (s) => s.summaryTriggerTokens, keepTokens: () => 0 },
    },
    services,
  );
}
