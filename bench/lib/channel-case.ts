import { type TokenCounter, turnTokens, userContent } from "../../src/core/prompt.js";
import { type BenchTurn, fillPrompt } from "./budget-fill.js";
import { containsLine } from "./irc-questions.js";
import type { createLangChainRetriever, LangChainPick } from "./langchain-vsr.js";
import { createPlainBm25 } from "./plain-bm25.js";
import { memoryText, type ReplayRow, replayProbes } from "./product-replay.js";

/** A message whose presence in the prompt a question needs. */
export interface Target {
  readonly seq: number;
  /** The target as a prompt shows it ("nick: text"). */
  readonly evidence: string;
}

/** A question asked just before turn `before` (turns.length: after the last), answered and not remembered. */
export interface Probe {
  readonly before: number;
  readonly user: string;
  readonly text: string;
  readonly ts: number;
  readonly targets: readonly Target[];
}

/** One channel to measure: what it said, in order, and the questions asked along the way. */
export interface ChannelCase {
  readonly name: string;
  readonly turns: readonly BenchTurn[];
  /** Ordered by `before`. */
  readonly probes: readonly Probe[];
}

/** Per probe: whether each target reached the prompt, and the prompt's tokens. */
export interface ProbeOutcome {
  readonly hits: readonly boolean[];
  readonly promptTokens: number;
}

/** Turns with the tokens the product stores for them. */
export function benchTurns(
  count: TokenCounter,
  said: ReadonlyArray<{ user: string; text: string; ts: number }>,
): BenchTurn[] {
  return said.map((m, seq) => ({
    seq,
    ...m,
    tokens: turnTokens(count, { user: { id: m.user, name: m.user }, text: m.text }),
  }));
}

export const evidenceOf = (user: string, text: string): string => userContent(user, text);

/** The replay rows of a case: its turns with each probe just before the turn it precedes. */
export function replayRows(c: ChannelCase): ReplayRow[] {
  const rows: ReplayRow[] = [];
  let p = 0;
  for (let seq = 0; seq <= c.turns.length; seq++) {
    for (; p < c.probes.length && (c.probes[p] as Probe).before === seq; p++) {
      const probe = c.probes[p] as Probe;
      rows.push({ user: probe.user, text: probe.text, ts: probe.ts, probe: true });
    }
    const turn = c.turns[seq];
    if (turn) rows.push({ user: turn.user, text: turn.text, ts: turn.ts });
  }
  return rows;
}

/** The product, through the replay with `env`: a target is in the prompt when its line is. */
export async function productOutcomes(
  c: ChannelCase,
  env: Record<string, string>,
  tokens: (messages: Parameters<typeof memoryText>[0]["messages"]) => number,
): Promise<ProbeOutcome[]> {
  const prompts = await replayProbes(replayRows(c), env);
  return prompts.map((prompt, i) => {
    const text = memoryText(prompt);
    return {
      hits: (c.probes[i] as Probe).targets.map((t) => containsLine(text, t.evidence)),
      promptTokens: tokens(prompt.messages),
    };
  });
}

/** Plain BM25 (bench/lib/plain-bm25.ts) filled by the product's "before" rule, per budget (or top-`cap`). */
export function bm25Outcomes(
  c: ChannelCase,
  count: TokenCounter,
  systemPrompt: string,
  fills: ReadonlyArray<{ maxTokens: number; cap?: number }>,
): ProbeOutcome[][] {
  const ranker = createPlainBm25();
  const out: ProbeOutcome[][] = fills.map(() => []);
  let added = 0;
  for (const probe of c.probes) {
    for (; added < probe.before; added++) {
      const t = c.turns[added] as BenchTurn;
      ranker.add(t.seq, userContent(t.user, t.text));
    }
    const query = userContent(probe.user, probe.text);
    const turns = c.turns.slice(0, probe.before);
    const cache = new Map<number, number[]>();
    const rank = (before: number) => {
      let r = cache.get(before);
      if (!r) {
        r = ranker.rank(query, before, Number.MAX_SAFE_INTEGER);
        cache.set(before, r);
      }
      return r;
    };
    fills.forEach((fill, i) => {
      const filled = fillPrompt({ count, systemPrompt, turns, current: probe, rank, ...fill });
      const inPrompt = new Set([...filled.recent, ...filled.retrieved]);
      (out[i] as ProbeOutcome[]).push({
        hits: probe.targets.map((t) => inPrompt.has(t.seq)),
        promptTokens: filled.promptTokens,
      });
    });
  }
  return out;
}

/** LangChain's VectorStoreRetrieverMemory: per budget (documents filling it), then its top `top`. */
export async function langChainOutcomes(
  c: ChannelCase,
  lc: ReturnType<typeof createLangChainRetriever>,
  budgets: readonly number[],
  top: number,
): Promise<{ byBudget: ProbeOutcome[][]; top: ProbeOutcome[] }> {
  const byBudget: ProbeOutcome[][] = budgets.map(() => []);
  const topOut: ProbeOutcome[] = [];
  let added = 0;
  for (const probe of c.probes) {
    for (; added < probe.before; added++) {
      const t = c.turns[added] as BenchTurn;
      lc.add(t.seq, t.user, t.text);
    }
    const asked = await lc.ask(probe.user, probe.text, budgets, top);
    const outcome = (pick: LangChainPick): ProbeOutcome => {
      const ids = new Set(pick.ids);
      return { hits: probe.targets.map((t) => ids.has(t.seq)), promptTokens: pick.promptTokens };
    };
    asked.fits.forEach((fit, i) => {
      (byBudget[i] as ProbeOutcome[]).push(outcome(fit));
    });
    topOut.push(outcome(asked.top));
  }
  return { byBudget, top: topOut };
}
