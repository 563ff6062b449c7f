import type { Language } from "./languages.js";
import { charScript } from "./script.js";
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

/**
 * Appends the index terms of one run of adjacent Han, Kana and Hangul characters, as Lucene's CJKAnalyzer does:
 * overlapping character bigrams (워크숍은 → 워크 크숍 숍은, so 워크숍 still matches through 워크 and 크숍; an
 * unsegmented or mis-segmented Chinese phrase still matches its parts), or the character itself when the run is
 * one character long. Bigrams that are stop words (ます, 我们) are left out. The run may cross scripts (会議室で),
 * like Lucene's, since the segmenter's words already give the clean cuts.
 */
export function pushCjkRun(run: string, language: Language | "und", terms: string[]): void {
  const stops = cjkLanguageOf(run, language);
  const chars = Array.from(run);
  if (chars.length === 1) {
    if (!isStopWord(run, stops)) terms.push(run);
    return;
  }
  for (let i = 0; i + 1 < chars.length; i++) {
    const bigram = `${chars[i]}${chars[i + 1]}`;
    if (!isStopWord(bigram, stops)) terms.push(bigram);
  }
}
