import type { Options } from "minisearch";

/** What the full-text index holds per turn: the speaker and words, and the bot's reply apart. */
export interface IndexDoc {
  readonly id: number;
  readonly text: string;
  readonly reply: string;
}

/** Words too common to tell turns apart; dropping them lets a question match on its content words. */
const STOPWORDS = new Set(
  (
    "a an and are as at be been but by can could did do does for from had has have he her him his how i if in into is it its " +
    "just me my no not of on or our she so than that the their them then there these they this to too up us was we were " +
    "what when where which who why will with would you your yes ok okay hi hello thanks lol about said say says"
  ).split(" "),
);

/**
 * MiniSearch settings shared by every block and chunk (they must match to load a stored index).
 * BM25+ scoring; a reply counts less than what a person said; long words also match as prefixes.
 */
export const INDEX_OPTIONS: Options<IndexDoc> = {
  fields: ["text", "reply"],
  storeFields: [],
  autoVacuum: false,
  processTerm: (term) => {
    const t = term.toLowerCase();
    return t.length < 2 || STOPWORDS.has(t) ? null : t;
  },
  searchOptions: { boost: { text: 1, reply: 0.4 }, prefix: (t) => t.length >= 5, combineWith: "OR" },
};
