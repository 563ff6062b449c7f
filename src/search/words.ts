import { foldAccents, foldYo } from "./fold.js";
import { LANGUAGE_INFO, type Language } from "./languages.js";
import { charScript } from "./script.js";
import { stemWord } from "./stem.js";
import { isStopWord } from "./stopwords.js";

/** Longer tokens (pasted blobs, long URLs) are not indexed: nobody types them into a question. */
export const MAX_TERM_LENGTH = 64;

/** French and Italian elided articles and pronouns: l'homme → homme, dell'anno → anno, qu'il → il. */
const ELISIONS = new Set(
  "l d j m n s t c qu jusqu lorsqu puisqu quoiqu dell dall nell all sull coll un quell quest".split(" "),
);
/** English clitics left after the stop list had its go: bob's → bob, mustn't → must, they'd → they. */
const CLITIC_RE = /(?:n't|'s|'ll|'re|'ve|'d|'m|')$/;
const DIGIT_RE = /\d/;
const LETTER_RE = /\p{L}/u;
const DOTTED_RE = /[._,:]/;
const VERSION_RE = /^v\d+(?:\.\d+)+$/;

/** Distinct plain words whose term is remembered per language; chat repeats its words. */
const TERM_CACHE_MAX_WORDS = 50_000;
const termCaches = new Map<Language | "und", Map<string, string | null>>();

/** The term of a plain letter word (stop check, stem, fold), or null for a stop word; cached per language. */
function termOf(word: string, language: Language | "und"): string | null {
  let cache = termCaches.get(language);
  if (cache === undefined) {
    cache = new Map();
    termCaches.set(language, cache);
  }
  const hit = cache.get(word);
  if (hit !== undefined) return hit;
  const script = charScript(word.codePointAt(0) ?? 0);
  const w = script === "cyrillic" ? foldYo(word) : word;
  let term: string | null = null;
  if (!isStopWord(w, language)) {
    const stemmed =
      language !== "und" && LANGUAGE_INFO[language].script === script ? stemWord(w, language) : w;
    term = foldAccents(stemmed);
  }
  if (cache.size >= TERM_CACHE_MAX_WORDS) cache.clear();
  cache.set(word, term);
  return term;
}

/**
 * A word as stemmed and folded, or nothing for a stop word or a one-letter word. Words with a digit (3rd, 21st,
 * 2024, x86, a lone 5) are kept as written: stemming "21st" would only lose it. A word of another script than
 * the language's (English in a Russian line) is not stemmed, only folded.
 */
function pushPlain(word: string, language: Language | "und", terms: string[]): void {
  if (DIGIT_RE.test(word)) {
    terms.push(foldAccents(word));
    return;
  }
  if (word.length < 2) return;
  const term = termOf(word, language);
  if (term !== null) terms.push(term);
}

/**
 * Resolves apostrophes: a listed contraction (don't, isn't, it's) is a stop word; an elided French/Italian
 * article goes (l'homme → homme); an English clitic goes (Bob's → bob); Turkish keeps the name before its case
 * ending (Ankara'da → ankara); any apostrophe left is removed (o'reilly → oreilly, aujourd'hui → aujourdhui).
 * Returns null for a word that is all stop word.
 */
function resolveApostrophes(word: string, language: Language | "und"): string | null {
  if (isStopWord(word, language)) return null;
  const at = word.indexOf("'");
  const prefix = word.slice(0, at);
  if (language === "tr" && at > 0) return prefix;
  const rest = at > 0 && ELISIONS.has(prefix) ? word.slice(at + 1) : word.replace(CLITIC_RE, "");
  return rest.replaceAll("'", "");
}

/**
 * A token kept whole across dots, underscores or commas: xorg.conf, node.js, foo_bar, v1.2.3,
 * x86_64, 3.14, 1,000. The whole token is a term (so a query for the file name matches it exactly), then its
 * parts that hold a letter as ordinary words (xorg, conf; node, js). Numeric parts are not terms of their own:
 * v1.2.3 gives v1.2.3, 1.2.3 (a version is also written without its v) and v1, but not 2 or 3, which would match
 * every line with a 2 in it. A plain number (3.14, 1,000) is only itself.
 */
function pushDotted(word: string, language: Language | "und", terms: string[]): void {
  terms.push(foldAccents(word));
  if (!LETTER_RE.test(word)) return;
  if (VERSION_RE.test(word)) terms.push(word.slice(1));
  for (const part of word.split(/[._,:]+/)) {
    if (part !== "" && LETTER_RE.test(part)) pushPlain(part, language, terms);
  }
}

/**
 * Appends the terms of one word token of a space-delimited script (already lowercased and NFKC-normalized):
 * stop words dropped, the rest stemmed in the text's language and then accent-folded.
 */
export function pushWordTerms(segment: string, language: Language | "und", terms: string[]): void {
  if (segment.length > MAX_TERM_LENGTH) return;
  let word: string | null = segment;
  if (word.includes("'")) {
    word = resolveApostrophes(word, language);
    if (word === null) return;
  }
  if (DOTTED_RE.test(word)) pushDotted(word, language, terms);
  else pushPlain(word, language, terms);
}
