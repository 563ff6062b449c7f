// TEMPORARY stub until the analyzer branch lands.
import type { Language } from "./languages.js";

export interface AnalyzeOptions {
  readonly hint?: Language | undefined;
}
export interface Analysis {
  readonly terms: string[];
  readonly language: Language | "und";
}
const STOP = new Set(
  "a an and are as at be been but by can could did do does for from had has have he her him his how i if in into is it its just me my no not of on or our she so than that the their them then there these they this to too up us was we were what when where which who why will with would you your yes ok okay hi hello thanks lol about said say says".split(
    " ",
  ),
);
export function analyze(text: string, _options?: AnalyzeOptions): Analysis {
  const terms = (
    text
      .normalize("NFKC")
      .toLowerCase()
      .match(/[\p{L}\p{N}][\p{L}\p{N}._-]*/gu) ?? []
  )
    .map((t) => t.replace(/[._-]+$/, "").replace(/'s$/, ""))
    .filter((t) => (t.length > 1 || /\d/.test(t)) && !STOP.has(t));
  return { terms, language: "en" };
}
export function detectLanguage(_text: string, hint?: Language): Language | "und" {
  return hint ?? "en";
}
export function isStopTerm(term: string, _language: Language | "und"): boolean {
  return STOP.has(term);
}
