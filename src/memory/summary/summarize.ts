import type { ChatModelPort } from "../../core/llm.js";
import {
  minuteUtc,
  type PromptMessage,
  promptTokens,
  type TokenCounter,
  truncateToTokens,
} from "../../core/prompt.js";
import type { Turn } from "../../core/turn.js";
import { recordUsage } from "../../core/usage.js";
import type { MemoryContext } from "../types.js";
import type { SummaryState } from "./state.js";

const INSTRUCTIONS = [
  "You keep the running summary of a group chat channel for the assistant that takes part in it.",
  "Merge the new messages into the current summary. Keep who said what, decisions, facts, names,",
  "numbers, dates, links and open questions; drop greetings and small talk. Write plain sentences.",
].join(" ");

/** One turn as the summarizer reads it; the batch's time span is given once, in its header. */
function line(turn: Turn): string {
  const said = `${turn.user.name}: ${turn.text}`;
  return turn.reply === undefined ? said : `${said}\nassistant: ${turn.reply}`;
}

function span(batch: readonly Turn[]): string {
  const first = batch[0];
  const last = batch.at(-1);
  if (!first || !last) return "";
  const from = minuteUtc(first.ts);
  const to = minuteUtc(last.ts);
  return from === to ? ` (${from} UTC)` : ` (${from} to ${to} UTC)`;
}

function messages(summary: string, when: string, lines: string, maxWords: number): PromptMessage[] {
  return [
    { role: "system", content: `${INSTRUCTIONS} Use at most ${maxWords} words.` },
    {
      role: "user",
      content: `Current summary:\n${summary || "(none yet)"}\n\nNew messages${when}:\n${lines}\n\nReply with the updated summary only.`,
    },
  ];
}

/** The summary request for a batch, cut (newest turns first, then text) so it fits `maxPromptTokens`. */
export function summaryPrompt(
  count: TokenCounter,
  summary: string,
  batch: readonly Turn[],
  maxPromptTokens: number,
  summaryMaxTokens: number,
): { messages: PromptMessage[]; covered: number } {
  const maxWords = Math.max(20, Math.floor(summaryMaxTokens * 0.7));
  let covered = batch.length;
  while (covered > 1) {
    const taken = batch.slice(0, covered);
    const built = messages(summary, span(taken), taken.map(line).join("\n"), maxWords);
    if (promptTokens(count, built) <= maxPromptTokens) return { messages: built, covered };
    covered -= 1;
  }
  const taken = batch.slice(0, 1);
  const first = batch[0] ? line(batch[0]) : "";
  const room = maxPromptTokens - promptTokens(count, messages(summary, span(taken), "", maxWords));
  return {
    messages: messages(summary, span(taken), truncateToTokens(count, first, Math.max(1, room)), maxWords),
    covered,
  };
}

/**
 * Summarizes one batch into the running summary with one model call. Returns the new state, or
 * undefined when the call failed: the caller keeps the old state, so the turns stay verbatim until a
 * later call succeeds, and nothing is lost.
 */
export async function summarizeBatch(
  ctx: MemoryContext,
  model: ChatModelPort,
  state: SummaryState,
  batch: readonly Turn[],
  limits: { readonly maxPromptTokens: number; readonly summaryMaxTokens: number },
): Promise<{ state: SummaryState; error?: undefined } | { state?: undefined; error: unknown }> {
  const prompt = summaryPrompt(
    ctx.countTokens,
    state.text,
    batch,
    limits.maxPromptTokens,
    limits.summaryMaxTokens,
  );
  try {
    const result = await model.invoke({ messages: prompt.messages, purpose: "summary" });
    recordUsage(ctx.session.usage, "summary", result.usage, { model: result.model, at: ctx.now() });
    const text = truncateToTokens(ctx.countTokens, result.text.trim(), limits.summaryMaxTokens);
    if (!text) return { error: new Error("the summary model returned an empty summary") };
    const last = batch[prompt.covered - 1] as Turn;
    return {
      state: {
        text,
        tokens: ctx.countTokens(text),
        through: last.seq + 1,
        updates: state.updates + 1,
        failures: 0,
      },
    };
  } catch (error) {
    return { error };
  }
}
