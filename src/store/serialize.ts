import { defaultDeserialize, defaultSerialize } from "@keyv/serialize";

/**
 * Keyv's stored format is JSON in which a string value starting with ":" carries a second ":" and a
 * Buffer is the string ":base64:...". Keyv's own serializer walks every value in JavaScript and parses
 * with a reviver; on a 10 KB turn segment that was a tenth of an exchange's time. These write and read
 * the same format with the engine's JSON: a string value starting with ":" can only follow `:`, `,`
 * or `[` in compact JSON, so text without that sequence (or a Buffer) needs no escaping, and any text
 * that has it, even by coincidence, goes through Keyv's functions.
 */
const COLON_STRING = /[:,[]":|^":/;
const BUFFER = '"type":"Buffer"';

export function serialize(data: unknown): string {
  const text = JSON.stringify(data);
  if (text === undefined) return defaultSerialize(data);
  if (COLON_STRING.test(text) || text.includes(BUFFER)) return defaultSerialize(data);
  return text;
}

export function deserialize<T>(text: string): T {
  return (COLON_STRING.test(text) ? defaultDeserialize(text) : JSON.parse(text)) as T;
}

/** Keyv's stored format, written and read with the engine's JSON: what every backend's Keyv is given. */
export const KEYV_FORMAT = { serialize, deserialize };
