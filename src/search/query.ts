import { analyze, isStopTerm } from "./analyze.js";
import type { Language } from "./languages.js";
import type { QueryTerm } from "./score.js";
import { segmentWords } from "./segmenter.js";

/** A question as a search sees it: its terms, each in the slot of the question's word it comes from. */
export interface ParsedQuery {
  readonly terms: readonly QueryTerm[];
  /** The question's words that gave terms: what "the share of the question's words a document holds" counts. */
  readonly slots: number;
  readonly language: Language | "und";
}

/** Languages the analyzer does not stem: a word's unstemmed form is its term already. */
const UNSTEMMED = new Set<Language>(["ja", "zh", "ko"]);

/** A term that belongs to no single word of the question (a pair of characters across two words, "apt-get"). */
export const NO_SLOT = -1;

/**
 * Parses a question. Its terms are those the index would make of it in its language (scored), plus each
 * word's unstemmed form where that differs: a short line the index could not tell the language of
 * ("kestrel failed") was indexed unstemmed, while the longer question is stemmed ("fail"). Each term
 * is put in the slot of the word of the question it comes from (a Japanese word's character pairs, a
 * stem and its unstemmed form), so a document holding several forms of one word counts that word once,
 * and a share of the question's words means the same in every language.
 */
export function parseQuery(text: string, hint?: Language): ParsedQuery {
  const whole = analyze(text, { hint });
  const language = whole.language;
  const counts = new Map<string, number>();
  for (const term of whole.terms) counts.set(term, (counts.get(term) ?? 0) + 1);
  const slotOf = new Map<string, number>();
  const surfaces: Array<{ term: string; slot: number }> = [];
  let slots = 0;
  for (const word of segmentWords(text, language === "und" ? (hint ?? "en") : language)) {
    // A word the whole analysis dropped (a stop word, a particle) is no word of the question.
    const own = analyze(word, { as: language }).terms.filter((term) => counts.has(term));
    if (own.length === 0) continue;
    const slot = slots++;
    for (const term of own) if (!slotOf.has(term)) slotOf.set(term, slot);
    if (language === "und" || UNSTEMMED.has(language)) continue;
    for (const surface of analyze(word, { as: "und" }).terms)
      if (!counts.has(surface) && !isStopTerm(surface, language)) surfaces.push({ term: surface, slot });
  }
  const terms: QueryTerm[] = [...counts].map(([term, weight]) => ({
    term,
    weight,
    slot: slotOf.get(term) ?? NO_SLOT,
  }));
  const seen = new Set(counts.keys());
  for (const s of surfaces) {
    if (seen.has(s.term)) continue;
    seen.add(s.term);
    terms.push({ term: s.term, weight: 1, slot: s.slot });
  }
  return { terms, slots, language };
}
