import { messageTokens, TOKENS_REPLY_PRIMING, type TokenCounter } from "./prompt.js";

/**
 * Share of `MEMORY_MAX_PROMPT_TOKENS` the system prompt may take: the other half holds the message,
 * the conversation and the knowledge (at most 30% of the budget).
 */
export const SYSTEM_PROMPT_MAX_SHARE = 0.5;

/**
 * Why a system prompt cannot work with the budget, or undefined when it fits. Too large a prompt
 * would cut every message to a few tokens and the answer would blame the user's message, so start-up
 * refuses it instead, naming both settings and the sizes that would work.
 */
export function systemPromptProblem(
  countTokens: TokenCounter,
  systemPrompt: string,
  maxPromptTokens: number,
  variable = "SYSTEM_PROMPT",
): string | undefined {
  const tokens = messageTokens(countTokens, systemPrompt) + TOKENS_REPLY_PRIMING;
  const allowed = Math.floor(maxPromptTokens * SYSTEM_PROMPT_MAX_SHARE);
  if (tokens <= allowed) return undefined;
  const needed = Math.ceil(tokens / SYSTEM_PROMPT_MAX_SHARE);
  return `${variable}: ${tokens.toLocaleString("en-US")} tokens leave too little of MEMORY_MAX_PROMPT_TOKENS=${maxPromptTokens} for the message and the conversation; shorten it to at most ${allowed.toLocaleString("en-US")} tokens (half the budget) or raise MEMORY_MAX_PROMPT_TOKENS to at least ${needed}`;
}
