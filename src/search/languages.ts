/**
 * The languages the search analysis knows. Every Snowball stemmer that snowball-stemmers ships for a
 * language our users write is here (sv, da, no, fi, tr came at no cost); Ukrainian has stop words but no stemmer.
 */
export const LANGUAGES = [
  "en",
  "de",
  "fr",
  "es",
  "pt",
  "it",
  "nl",
  "ru",
  "ja",
  "zh",
  "ko",
  "sv",
  "da",
  "no",
  "fi",
  "tr",
  "uk",
] as const;

/** One of LANGUAGES: the language a text's words are stemmed and stop-listed as. */
export type Language = (typeof LANGUAGES)[number];

/** The scripts the analysis treats differently: CJK gets bigrams, Latin/Cyrillic get stemming. */
export type Script = "latin" | "cyrillic" | "cjk";

/** What the analysis needs to know about a language, in one table so a new language is one row. */
export interface LanguageInfo {
  /** The snowball-stemmers algorithm name, or null when the language is not stemmed. */
  readonly stemmer: string | null;
  readonly script: Script;
}

/** Per-language settings; `satisfies` makes the compiler name a language that has no row. */
export const LANGUAGE_INFO = {
  en: { stemmer: "english", script: "latin" },
  de: { stemmer: "german", script: "latin" },
  fr: { stemmer: "french", script: "latin" },
  es: { stemmer: "spanish", script: "latin" },
  pt: { stemmer: "portuguese", script: "latin" },
  it: { stemmer: "italian", script: "latin" },
  nl: { stemmer: "dutch", script: "latin" },
  sv: { stemmer: "swedish", script: "latin" },
  da: { stemmer: "danish", script: "latin" },
  no: { stemmer: "norwegian", script: "latin" },
  fi: { stemmer: "finnish", script: "latin" },
  tr: { stemmer: "turkish", script: "latin" },
  ru: { stemmer: "russian", script: "cyrillic" },
  uk: { stemmer: null, script: "cyrillic" },
  ja: { stemmer: null, script: "cjk" },
  zh: { stemmer: null, script: "cjk" },
  ko: { stemmer: null, script: "cjk" },
} as const satisfies Record<Language, LanguageInfo>;

/** The Latin-script languages, the candidates of the stop-word detector. */
export const LATIN_LANGUAGES: readonly Language[] = LANGUAGES.filter(
  (l) => LANGUAGE_INFO[l].script === "latin",
);
