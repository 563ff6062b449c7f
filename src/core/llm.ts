import { BotError } from "./errors.js";
import type { PromptMessage } from "./prompt.js";

/** Why the bot calls a model; the ledger counts calls and tokens by purpose. */
export const LLM_PURPOSES = ["reply", "summary", "embedding"] as const;
export type LlmPurpose = (typeof LLM_PURPOSES)[number];

/** What memory a prompt carries, for logs and for the offline model to show. */
export interface MemoryInfo {
  readonly mode: string;
  readonly turnsShown: number;
  readonly turnsStored: number;
  readonly hasSummary: boolean;
}

export interface LlmRequest {
  readonly messages: readonly PromptMessage[];
  readonly purpose: LlmPurpose;
  readonly memory?: MemoryInfo | undefined;
  /** Called with the whole text so far while the answer streams in; enables streaming when set. */
  readonly onText?: ((textSoFar: string) => void) | undefined;
  readonly signal?: AbortSignal | undefined;
}

export interface LlmUsage {
  readonly promptTokens: number;
  readonly completionTokens: number;
  /** `provider` when the server reported usage, `estimate` when counted locally. */
  readonly source: "provider" | "estimate";
}

export interface LlmResult {
  readonly text: string;
  readonly model: string;
  readonly usage: LlmUsage;
}

/** The model seam: the core calls this and never imports a provider SDK. */
export interface ChatModelPort {
  readonly model: string;
  invoke(request: LlmRequest): Promise<LlmResult>;
}

/** The model could not answer; `status` is the HTTP status when there was one. */
export class LlmError extends BotError {
  readonly code = "LLM_FAILED";
  constructor(
    message: string,
    readonly status?: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
