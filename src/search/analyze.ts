import { cjkLanguageOf, pushCjkRun } from "./cjk.js";
import { detectNormalized } from "./detect.js";
import { foldAccents, normalizeText } from "./fold.js";
import type { Language } from "./languages.js";
import { isCjk } from "./script.js";
import { isStopWord } from "./stopwords.js";
import { MAX_TERM_LENGTH, pushWordTerms } from "./words.js";

export { detectLanguage } from "./detect.js";
export { isStopTerm } from "./stopwords.js";

/** How the caller can steer the analysis. */
export interface AnalyzeOptions {
  /** The language to assume when the text is too short to tell (the channel's usual language, say). */
  readonly hint?: Language | undefined;
}

/** What analysis makes of a text. */
export interface Analysis {
  /** Index terms in text order, repeats kept (term frequency counts them). */
  readonly terms: string[];
  /** The language the words were stemmed as ("und" when none could be told: no stemming, no stop words). */
  readonly language: Language | "und";
}

/** Gaps that join two words into one more term: apt-get, /etc/fstab, 10:30, 2024-06-08, a@b.org, std::vector. */
const CHAIN_GAP_RE = /^(?:[-/\\@]{1,2}|:{1,2}|:\/\/)$/;
const ALNUM_RE = /[\p{L}\p{N}]/u;
const DIGITS_RE = /^\d+$/;

const segmenters = new Map<string, Intl.Segmenter>();

function segmenterFor(language: Language | "und"): Intl.Segmenter {
  const locale = language === "und" ? "en" : language;
  let s = segmenters.get(locale);
  if (s === undefined) {
    s = new Intl.Segmenter(locale, { granularity: "word" });
    segmenters.set(locale, s);
  }
  return s;
}

/**
 * Analyzes a text the same way for indexing and for querying. Pure, deterministic, no I/O.
 * NFKC and lowercase; the language from detectLanguage (with the hint); words from Intl.Segmenter (ICU's
 * dictionary cuts Japanese and Chinese into words). Latin/Cyrillic words: stop words dropped, Snowball-stemmed,
 * then accents folded. Han/Kana/Hangul: the segmenter's words of two or more characters, plus overlapping bigrams
 * of each run of adjacent CJK characters (a one-character run as itself; none for a run that is all stop words,
 * such as 합니다), so a word the segmenter also found
 * counts twice and ranks above a partial match. Words joined by -, /, :, @ also give the joined form as a term
 * (apt-get gives apt-get, apt, get); a number joined to a CJK counter gives that too (5月); c++ and c# stay.
 * Terms are in text order, except that a joined form and a CJK run's bigrams follow the words they are made of.
 */
export function analyze(text: string, options: AnalyzeOptions = {}): Analysis {
  const normalized = normalizeText(text);
  const language = detectNormalized(normalized, options.hint);
  const terms: string[] = [];
  let run = "";
  let runEnd = -1;
  let runAllStop = true;
  let chain = "";
  let chainWords = 0;
  let prev = "";
  let prevEnd = -1;
  const flushChain = () => {
    if (chainWords >= 2 && chain.length <= MAX_TERM_LENGTH) terms.push(foldAccents(chain));
    chain = "";
    chainWords = 0;
  };
  const flushRun = () => {
    if (run !== "" && !runAllStop) pushCjkRun(run, language, terms);
    run = "";
    runAllStop = true;
  };
  for (const { segment, index, isWordLike } of segmenterFor(language).segment(normalized)) {
    if (!isWordLike) continue;
    if (isCjk(segment.codePointAt(0) ?? 0)) {
      flushChain();
      if (index === prevEnd && DIGITS_RE.test(prev))
        terms.push(`${prev}${String.fromCodePoint(segment.codePointAt(0) ?? 0)}`);
      if (run !== "" && index === runEnd) run += segment;
      else {
        flushRun();
        run = segment;
      }
      runEnd = index + segment.length;
      const isStop = isStopWord(segment, cjkLanguageOf(segment, language));
      runAllStop &&= isStop;
      if (!isStop && Array.from(segment).length >= 2) terms.push(segment);
    } else {
      flushRun();
      if (chain !== "" && CHAIN_GAP_RE.test(normalized.slice(prevEnd, index))) {
        chain += normalized.slice(prevEnd, index) + segment;
        chainWords++;
      } else {
        flushChain();
        chain = segment;
        chainWords = 1;
      }
      pushSuffixed(normalized, segment, index + segment.length, terms);
      pushWordTerms(segment, language, terms);
    }
    prev = segment;
    prevEnd = index + segment.length;
  }
  flushChain();
  flushRun();
  return { terms, language };
}

/** Keeps c++, g++, c#, f#: the segmenter drops the symbols and one letter alone is not a term. */
function pushSuffixed(text: string, word: string, end: number, terms: string[]): void {
  if (text.startsWith("++", end)) terms.push(`${word}++`);
  else if (text[end] === "#" && !ALNUM_RE.test(text[end + 1] ?? "")) terms.push(`${word}#`);
}
