import type { Platform } from "./events.js";
import type { LlmPurpose, LlmUsage } from "./llm.js";
import type { HandleOutcome } from "./outcome.js";

/**
 * What the core reports as it works, for metrics. The core calls these and never imports a metrics
 * library; `src/metrics` implements them with prom-client.
 */
export interface BotObserver {
  handled(platform: Platform, outcome: HandleOutcome, durationMs: number): void;
  llmCall(purpose: LlmPurpose, durationMs: number, usage: LlmUsage | undefined): void;
  lockWaited(durationMs: number): void;
  storeError(): void;
  /** An event dropped without an answer (access rules, rate limit, empty text), by reason. */
  ignored?(platform: Platform, reason: string): void;
}

export const NOOP_OBSERVER: BotObserver = {
  handled: () => {},
  llmCall: () => {},
  lockWaited: () => {},
  storeError: () => {},
};
