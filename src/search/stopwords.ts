import { foldAccents } from "./fold.js";
import { LANGUAGE_INFO, LANGUAGES, LATIN_LANGUAGES, type Language } from "./languages.js";
import { stemWord } from "./stem.js";
import { STOPWORDS_EAST } from "./stopwords-east.js";
import { STOPWORDS_NORTH } from "./stopwords-north.js";
import { STOPWORDS_WEST } from "./stopwords-west.js";

const LISTS = { ...STOPWORDS_WEST, ...STOPWORDS_NORTH, ...STOPWORDS_EAST } satisfies Record<Language, string>;

function listOf(language: Language): string[] {
  return LISTS[language].split(" ").filter((w) => w.length > 0);
}

/** Each stop word as written and as typed without accents (tambien, fur, eto): a word is dropped either way. */
const RAW = new Map<Language, ReadonlySet<string>>(
  LANGUAGES.map((l) => [l, new Set(listOf(l).flatMap((w) => [w, foldAccents(w)]))]),
);

/** The stop words as analysis would output them (stemmed, then folded), for isStopTerm. */
const ANALYZED = new Map<Language, ReadonlySet<string>>();

/** Whether a lowercased word (before stemming) is a stop word of the language: analysis drops it. */
export function isStopWord(word: string, language: Language | "und"): boolean {
  return language !== "und" && (RAW.get(language)?.has(word) ?? false);
}

/**
 * Whether a term, as analysis outputs it, is a stop word in that language: what a rule such as "half of the
 * question's content words" must not count. Knows stemmed forms too ("have" for having, "mach" for machen) and
 * CJK bigrams that are stop words (ます). Nothing is a stop word of "und".
 */
export function isStopTerm(term: string, language: Language | "und"): boolean {
  if (language === "und") return false;
  let set = ANALYZED.get(language);
  if (set === undefined) {
    const raw = RAW.get(language) ?? new Set<string>();
    const stemmed =
      LANGUAGE_INFO[language].stemmer === null ? [] : [...raw].map((w) => stemWord(w, language));
    set = new Set([...raw, ...stemmed.map(foldAccents)]);
    ANALYZED.set(language, set);
  }
  return set.has(term);
}

function weightsOf(
  lists: ReadonlyMap<Language, Iterable<string>>,
): Map<string, Array<readonly [Language, number]>> {
  const langsOf = new Map<string, Language[]>();
  for (const [language, words] of lists) {
    for (const word of new Set(words)) langsOf.set(word, [...(langsOf.get(word) ?? []), language]);
  }
  return new Map(
    [...langsOf].map(([word, langs]) => [word, langs.map((l) => [l, 1 / langs.length] as const)]),
  );
}

/**
 * For the Latin-script detector: each stop word as written, with its languages, each weighted 1/(number of
 * languages listing the word), so "de" (fr, es, pt, nl) counts little and "the" or "und" counts fully.
 */
export const LATIN_STOP_WEIGHTS: ReadonlyMap<string, ReadonlyArray<readonly [Language, number]>> = weightsOf(
  new Map(LATIN_LANGUAGES.map((l) => [l, listOf(l)])),
);

/** The same for stop words typed without their accents (tambem, nao), looked up when the word is not listed. */
export const LATIN_FOLDED_STOP_WEIGHTS: ReadonlyMap<
  string,
  ReadonlyArray<readonly [Language, number]>
> = weightsOf(new Map(LATIN_LANGUAGES.map((l) => [l, listOf(l).map(foldAccents)])));

/** Ukrainian stop words that are not Russian ones, for telling the two apart when no letter does. */
export const UK_ONLY_STOPS: ReadonlySet<string> = new Set(
  [...(RAW.get("uk") ?? [])].filter((w) => !(RAW.get("ru")?.has(w) ?? false)),
);
/** Russian stop words that are not Ukrainian ones. */
export const RU_ONLY_STOPS: ReadonlySet<string> = new Set(
  [...(RAW.get("ru") ?? [])].filter((w) => !(RAW.get("uk")?.has(w) ?? false)),
);
