import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import type { TokenCounter } from "../../src/core/prompt.js";
import { benchTurns, type ChannelCase, evidenceOf } from "./channel-case.js";
import { containsLine } from "./irc-questions.js";
import { MAX_SHARED_CONTENT_WORDS, sharedContentWords } from "./word-overlap.js";

/** The languages of the set, in the order tables show them. */
export const LANGUAGES = ["ja", "zh", "ko", "de", "es", "fr", "ru", "en"] as const;

const MINUTE_MS = 60_000;
/** Questions come the next morning, well after the chatter. */
const QUESTIONS_AFTER_MS = 18 * 60 * MINUTE_MS;

const fixtureSchema = z.object({
  language: z.string(),
  name: z.string(),
  setting: z.string(),
  start: z.iso.datetime(),
  minutesPerLine: z.number().positive(),
  /** [speaker, text] or [speaker, text, fact id] */
  lines: z.array(z.union([z.tuple([z.string(), z.string()]), z.tuple([z.string(), z.string(), z.string()])])),
  questions: z.array(z.object({ fact: z.string(), user: z.string(), text: z.string(), how: z.string() })),
});

/** One question's check: the content word forms it shares with its fact. */
export interface OverlapCheck {
  readonly language: string;
  readonly fact: string;
  readonly question: string;
  readonly factText: string;
  readonly shared: readonly string[];
  readonly ok: boolean;
}

/** A language's channel as a case (all questions after the last line), and its questions' overlap checks. */
export interface LanguageCase {
  readonly language: string;
  readonly lines: number;
  readonly case: ChannelCase;
  readonly checks: readonly OverlapCheck[];
}

/** Reads `bench/fixtures/multilingual/LANG.json`; a fact named twice, missing or not unique in the channel is an error. */
export function loadLanguage(dir: string, language: string, count: TokenCounter): LanguageCase {
  const fixture = fixtureSchema.parse(JSON.parse(readFileSync(join(dir, `${language}.json`), "utf8")));
  const start = Date.parse(fixture.start);
  const said = fixture.lines.map(([user, text], i) => ({
    user,
    text,
    ts: start + i * fixture.minutesPerLine * MINUTE_MS,
  }));
  const factAt = new Map<string, number>();
  fixture.lines.forEach((line, i) => {
    const id = line[2];
    if (id === undefined) return;
    if (factAt.has(id)) throw new Error(`${language}: fact ${id} marked twice`);
    factAt.set(id, i);
  });
  const turns = benchTurns(count, said);
  const askedAt = (said.at(-1)?.ts ?? start) + QUESTIONS_AFTER_MS;
  const checks: OverlapCheck[] = [];
  const probes = fixture.questions.map((q, i) => {
    const seq = factAt.get(q.fact);
    if (seq === undefined) throw new Error(`${language}: question ${i + 1} names no fact line ${q.fact}`);
    const fact = said[seq] as (typeof said)[number];
    const evidence = evidenceOf(fact.user, fact.text);
    if (said.some((m, j) => j !== seq && containsLine(evidenceOf(m.user, m.text), evidence)))
      throw new Error(`${language}: fact ${q.fact} is not the only line ending in its text`);
    const shared = sharedContentWords(fact.text, q.text, language);
    checks.push({
      language,
      fact: q.fact,
      question: q.text,
      factText: fact.text,
      shared,
      ok: shared.length <= MAX_SHARED_CONTENT_WORDS,
    });
    return {
      before: turns.length,
      user: q.user,
      text: q.text,
      ts: askedAt + i * MINUTE_MS,
      targets: [{ seq, evidence }],
    };
  });
  return { language, lines: said.length, case: { name: language, turns, probes }, checks };
}
