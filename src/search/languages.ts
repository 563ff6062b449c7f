// TEMPORARY stub until the analyzer branch lands.
export const LANGUAGES = ["en", "de", "fr", "es", "pt", "it", "nl", "ru", "ja", "zh", "ko"] as const;
export type Language = (typeof LANGUAGES)[number];
