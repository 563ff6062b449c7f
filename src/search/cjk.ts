import type { Language } from "./languages.js";
import { charScript } from "./script.js";
import { segmentWords } from "./segmenter.js";
import { isStopWord } from "./stopwords.js";

/**
 * The language whose stop list applies to a CJK run: the text's own when it is a CJK language, else the one the
 * run's script implies (a Japanese phrase quoted in an English line is checked against Japanese stop words).
 */
export function cjkLanguageOf(run: string, language: Language | "und"): Language {
  if (language === "ja" || language === "zh" || language === "ko") return language;
  for (const ch of run) {
    const s = charScript(ch.codePointAt(0) ?? 0);
    if (s === "kana") return "ja";
    if (s === "hangul") return "ko";
  }
  return "zh";
}

const HANGUL_RUN_RE = /^\p{sc=Hangul}+$/u;

/**
 * Appends the index terms of one run of adjacent Han, Kana and Hangul characters. First the segmenter's words of
 * two or more characters that are not stop words (会議, 東京; a Korean word with its particle, 워크숍은), then,
 * as Lucene's CJKAnalyzer does, overlapping character bigrams (워크숍은 → 워크 크숍 숍은, so 워크숍 still matches
 * through 워크 and 크숍; an unsegmented or mis-segmented Chinese phrase still matches its parts), or the
 * character itself when the run is one character long. A word the segmenter found thus counts twice (word and
 * bigram) and ranks above a partial match. Bigrams that are stop words (ます) are left out, and a run that is
 * all stop words (합니다) gives nothing. The run may cross scripts (会議室で), like Lucene's.
 */
export function pushCjkRun(run: string, language: Language | "und", terms: string[]): void {
  const stops = cjkLanguageOf(run, language);
  const chars = Array.from(run);
  if (chars.length === 1) {
    if (!isStopWord(run, stops)) terms.push(run);
    return;
  }
  let allStop = true;
  // ICU has no Korean dictionary: a Hangul run (one space-delimited word) comes back whole, so skip the call.
  const words = HANGUL_RUN_RE.test(run) ? [run] : segmentWords(run, stops);
  for (const word of words) {
    const isStop = isStopWord(word, stops);
    allStop &&= isStop;
    if (!isStop && word.length >= 2 && Array.from(word).length >= 2) terms.push(word);
  }
  if (allStop) return;
  for (let i = 0; i + 1 < chars.length; i++) {
    const bigram = `${chars[i]}${chars[i + 1]}`;
    if (!isStopWord(bigram, stops)) terms.push(bigram);
  }
}
