import type { Memory, MemoryContext, MemoryView } from "../memory/types.js";
import type { Turn } from "../store/channel-store.js";
import {
  type PromptMessage,
  promptTokens,
  TOKENS_PER_MESSAGE,
  type TokenCounter,
  truncateToTokens,
  turnMessages,
  userContent,
} from "./prompt.js";

/** Tokens of each part of a prompt, as `/memory show` reports them. */
export interface PromptBreakdown {
  readonly system: number;
  readonly summary: number;
  readonly retrieved: number;
  readonly recent: number;
  readonly message: number;
  readonly total: number;
}

export interface BuiltPrompt {
  readonly messages: PromptMessage[];
  readonly view: MemoryView;
  readonly tokens: PromptBreakdown;
  /** True when the current message had to be shortened to fit the budget. */
  readonly messageTruncated: boolean;
}

export interface BuildPromptOptions {
  readonly memory: Memory;
  readonly ctx: MemoryContext;
  readonly systemPrompt: string;
  readonly maxTokens: number;
  /** The message being answered; omitted to preview what the next prompt would carry. */
  readonly current?: { readonly name: string; readonly text: string } | undefined;
}

const SUMMARY_HEADER = "Summary of the earlier conversation in this channel:";
const RETRIEVED_HEADER = "Earlier messages from this channel that may be relevant:";

function retrievedLine(turn: Turn): string {
  const when = new Date(turn.ts).toISOString().slice(0, 16).replace("T", " ");
  const said = `[${when}] ${userContent(turn.user.name, turn.text)}`;
  return turn.reply === undefined ? `- ${said}` : `- ${said}\n  (you answered: ${turn.reply})`;
}

function systemContent(base: string, view: MemoryView): string {
  const parts = [base];
  if (view.summary) parts.push(`${SUMMARY_HEADER}\n${view.summary}`);
  if (view.retrieved.length > 0)
    parts.push(`${RETRIEVED_HEADER}\n${view.retrieved.map(retrievedLine).join("\n")}`);
  return parts.join("\n\n");
}

function assemble(
  systemPrompt: string,
  view: MemoryView,
  current: PromptMessage | undefined,
): PromptMessage[] {
  const messages: PromptMessage[] = [{ role: "system", content: systemContent(systemPrompt, view) }];
  for (const turn of view.recent) messages.push(...turnMessages(turn));
  if (current) messages.push(current);
  return messages;
}

/** Drops the least valuable part of a view: the oldest recent turn, then retrieved turns, then the summary. */
function shrink(view: MemoryView): MemoryView | undefined {
  if (view.recent.length > 0) return { ...view, recent: view.recent.slice(1) };
  if (view.retrieved.length > 0) return { ...view, retrieved: view.retrieved.slice(1) };
  if (view.summary) return { ...view, summary: undefined };
  return undefined;
}

/**
 * Builds the prompt for one exchange inside `maxTokens`, counted with the real tokenizer over the
 * exact messages sent. The strategy gets what the system prompt and message leave; a final exact
 * count trims anything its estimate let through, so the budget holds whatever a strategy returns.
 */
export async function buildPrompt(options: BuildPromptOptions): Promise<BuiltPrompt> {
  const { memory, ctx, systemPrompt, maxTokens, current } = options;
  const count: TokenCounter = ctx.countTokens;
  const empty: MemoryView = { retrieved: [], recent: [] };
  const systemOnly = promptTokens(count, assemble(systemPrompt, empty, undefined));

  let messageTruncated = false;
  let currentMessage: PromptMessage | undefined;
  if (current) {
    let content = userContent(current.name, current.text);
    const room = maxTokens - systemOnly - TOKENS_PER_MESSAGE;
    if (promptTokens(count, assemble(systemPrompt, empty, { role: "user", content })) > maxTokens) {
      content = truncateToTokens(count, content, Math.max(1, room));
      messageTruncated = true;
    }
    currentMessage = { role: "user", content };
  }
  const base = promptTokens(count, assemble(systemPrompt, empty, currentMessage));
  let view = await memory.load(ctx, Math.max(0, maxTokens - base));
  let messages = assemble(systemPrompt, view, currentMessage);
  let total = promptTokens(count, messages);
  while (total > maxTokens) {
    const smaller = shrink(view);
    if (!smaller) break;
    view = smaller;
    messages = assemble(systemPrompt, view, currentMessage);
    total = promptTokens(count, messages);
  }

  const withoutSummary = promptTokens(
    count,
    assemble(systemPrompt, { ...view, summary: undefined, recent: [] }, undefined),
  );
  const summaryTokens =
    promptTokens(count, assemble(systemPrompt, { ...view, recent: [] }, undefined)) - withoutSummary;
  const retrievedTokens = withoutSummary - systemOnly;
  const recentTokens = view.recent.reduce((sum, t) => sum + t.tokens, 0);
  return {
    messages,
    view,
    messageTruncated,
    tokens: {
      system: systemOnly,
      summary: summaryTokens,
      retrieved: retrievedTokens,
      recent: recentTokens,
      message: total - systemOnly - summaryTokens - retrievedTokens - recentTokens,
      total,
    },
  };
}
