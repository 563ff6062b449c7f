import type { Memory, MemoryContext, MemoryView } from "../memory/types.js";
import {
  messageTokens,
  type PromptMessage,
  RETRIEVED_HEADER,
  retrievedLine,
  SUMMARY_HEADER,
  TOKENS_PER_MESSAGE,
  TOKENS_REPLY_PRIMING,
  type TokenCounter,
  truncateToTokens,
  turnMessages,
  userContent,
} from "./prompt.js";
import type { Turn } from "./turn.js";

/** Tokens of each part of a prompt, as `/memory show` reports them. */
export interface PromptBreakdown {
  readonly system: number;
  /** The knowledge message (documents and channel facts), 0 without one. */
  readonly knowledge: number;
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
  /**
   * Reference material found for the message (`knowledgeSection`): documents and the channel's facts,
   * which anyone allowed to `/memory learn` can write. Like a summary it is quoted in a user message
   * of its own, after the system message, never spliced into the instructions.
   */
  readonly knowledge?: string | undefined;
  readonly maxTokens: number;
  /** The message being answered; omitted to preview what the next prompt would carry. */
  readonly current?: { readonly name: string; readonly text: string } | undefined;
}

/**
 * The summary and the retrieved turns are the channel members' words (a summary is made of them), so
 * they go in a message of their own with the user role, under headers that say they are quotes, never
 * in the system message: "ignore your instructions" said once in a channel must not come back with
 * system authority.
 *
 * The message is built from pieces that each end at a line break and are followed by one that starts
 * with a letter or "-". The tokenizers' pre-split never joins text across such a boundary (a line break
 * ends a word and can only join what precedes it), so the message's tokens are exactly the sum of its
 * pieces' tokens: a retrieved line is tokenized once per process, not once per prompt. Every retrieved
 * line, the last too, ends with its line break, so a line costs the same wherever it stands.
 */
function memoryPieces(view: MemoryView): Array<string | Turn> {
  const pieces: Array<string | Turn> = [];
  if (view.summary)
    pieces.push(`${SUMMARY_HEADER}\n${view.summary}${view.retrieved.length > 0 ? "\n\n" : ""}`);
  if (view.retrieved.length > 0) pieces.push(`${RETRIEVED_HEADER}\n`, ...view.retrieved);
  return pieces;
}

/** A retrieved turn's piece of the memory message: its line and line break. */
const linePiece = (turn: Turn) => `${retrievedLine(turn)}\n`;

function memoryContent(view: MemoryView): string | undefined {
  const pieces = memoryPieces(view);
  return pieces.length === 0
    ? undefined
    : pieces.map((p) => (typeof p === "string" ? p : linePiece(p))).join("");
}

/** Tokens of retrieved lines per tokenizer, by turn object (complete segments' turns are shared by exchanges). */
const lineCounts = new WeakMap<TokenCounter, WeakMap<Turn, number>>();

/** The memory message's tokens as sent (with the chat format's per-message overhead), 0 when there is none. */
export function memoryTokens(count: TokenCounter, view: MemoryView): number {
  const pieces = memoryPieces(view);
  if (pieces.length === 0) return 0;
  let known = lineCounts.get(count);
  if (!known) {
    known = new WeakMap();
    lineCounts.set(count, known);
  }
  let total = TOKENS_PER_MESSAGE;
  for (const piece of pieces) {
    if (typeof piece === "string") {
      total += count(piece);
      continue;
    }
    let n = known.get(piece);
    if (n === undefined) {
      n = count(linePiece(piece));
      known.set(piece, n);
    }
    total += n;
  }
  return total;
}

function assemble(
  systemPrompt: string,
  knowledge: string | undefined,
  view: MemoryView,
  current: PromptMessage | undefined,
): PromptMessage[] {
  const messages: PromptMessage[] = [{ role: "system", content: systemPrompt }];
  if (knowledge) messages.push({ role: "user", content: knowledge });
  const memory = memoryContent(view);
  if (memory) messages.push({ role: "user", content: memory });
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
  const knowledge = options.knowledge || undefined;
  // Each distinct text is tokenized once per prompt: the system text recurs in every figure below.
  const seen = new Map<string, number>();
  const count: TokenCounter = (text) => {
    let n = seen.get(text);
    if (n === undefined) {
      n = ctx.countTokens(text);
      seen.set(text, n);
    }
    return n;
  };
  /** The system message, the knowledge message when there is one, and the view's memory message. */
  const memoryCounts = new Map<MemoryView, number>();
  const systemTokens = (view: MemoryView) => {
    let memory = memoryCounts.get(view);
    if (memory === undefined) {
      memory = memoryTokens(ctx.countTokens, view);
      memoryCounts.set(view, memory);
    }
    return messageTokens(count, systemPrompt) + knowledgeTokens + memory;
  };
  const knowledgeTokens = knowledge ? messageTokens(count, knowledge) : 0;
  const empty: MemoryView = { retrieved: [], recent: [] };
  const systemOnly = systemTokens(empty) + TOKENS_REPLY_PRIMING;

  let messageTruncated = false;
  let currentMessage: PromptMessage | undefined;
  let currentTokens = 0;
  if (current) {
    let content = userContent(current.name, current.text);
    if (systemOnly + messageTokens(count, content) > maxTokens) {
      content = truncateToTokens(count, content, Math.max(1, maxTokens - systemOnly - TOKENS_PER_MESSAGE));
      messageTruncated = true;
    }
    currentMessage = { role: "user", content };
    currentTokens = messageTokens(count, content);
  }
  // Stored turns carry the tokens they cost, counted once when saved with this same rule, so the
  // total is exact without tokenizing the history again.
  const totalOf = (view: MemoryView) =>
    systemTokens(view) +
    view.recent.reduce((sum, t) => sum + t.tokens, 0) +
    currentTokens +
    TOKENS_REPLY_PRIMING;
  let view = await memory.load(ctx, Math.max(0, maxTokens - systemOnly - currentTokens));
  let total = totalOf(view);
  while (total > maxTokens) {
    const smaller = shrink(view);
    if (!smaller) break;
    view = smaller;
    total = totalOf(view);
  }

  const withoutSummary = systemTokens({ ...view, summary: undefined, recent: [] }) + TOKENS_REPLY_PRIMING;
  const summaryTokens = systemTokens({ ...view, recent: [] }) + TOKENS_REPLY_PRIMING - withoutSummary;
  const retrievedTokens = withoutSummary - systemOnly;
  const recentTokens = view.recent.reduce((sum, t) => sum + t.tokens, 0);
  return {
    messages: assemble(systemPrompt, knowledge, view, currentMessage),
    view,
    messageTruncated,
    tokens: {
      system: systemOnly - knowledgeTokens,
      knowledge: knowledgeTokens,
      summary: summaryTokens,
      retrieved: retrievedTokens,
      recent: recentTokens,
      message: total - systemOnly - summaryTokens - retrievedTokens - recentTokens,
      total,
    },
  };
}
