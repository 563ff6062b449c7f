/** Characters of one message the bot reads by default (`MAX_INPUT_CHARS`): a huge paste is cut, not refused. */
export const DEFAULT_MAX_INPUT_CHARS = 8000;

/** A message after the input limit: the text the model reads and stores, and whether it was cut. */
export interface LimitedInput {
  readonly text: string;
  readonly cut: boolean;
}

/**
 * Cuts a message to `maxChars` UTF-16 units, never through a surrogate pair, so one paste cannot fill
 * the prompt budget, the store and the model bill on its own.
 */
export function limitInput(text: string, maxChars: number): LimitedInput {
  if (text.length <= maxChars) return { text, cut: false };
  let end = Math.max(0, maxChars);
  const last = text.charCodeAt(end - 1);
  if (end > 0 && last >= 0xd800 && last <= 0xdbff) end -= 1;
  return { text: text.slice(0, end), cut: true };
}

/** The note added to the answer of a cut message, so the user knows the end was not read. */
export function inputCutNote(maxChars: number): string {
  return `(Your message was longer than ${maxChars.toLocaleString("en-US")} characters; I only read the first ${maxChars.toLocaleString("en-US")}.)`;
}
