import { Tiktoken } from "js-tiktoken/lite";
import type { TokenCounter } from "../core/prompt.js";
import { createLruCache } from "../util/lru.js";

/** Encodings bundled with js-tiktoken; loading them needs no network (unlike LangChain's getNumTokens). */
export type EncodingName = "o200k_base" | "cl100k_base";

/** Models on the o200k encoding (GPT-4o and later); everything else is counted with cl100k. */
export function encodingForModel(model: string): EncodingName {
  const name = model.toLowerCase().replace(/^.*\//, "");
  return /^(gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|o1|o3|o4|chatgpt-4o|gpt-oss)/.test(name)
    ? "o200k_base"
    : "cl100k_base";
}

const encoders = new Map<EncodingName, Tiktoken>();

async function loadEncoder(encoding: EncodingName): Promise<Tiktoken> {
  const cached = encoders.get(encoding);
  if (cached) return cached;
  const ranks =
    encoding === "o200k_base"
      ? (await import("js-tiktoken/ranks/o200k_base")).default
      : (await import("js-tiktoken/ranks/cl100k_base")).default;
  const encoder = new Tiktoken(ranks);
  encoders.set(encoding, encoder);
  return encoder;
}

/**
 * A token counter for a model, with the encoder loaded once per process. Special-token text in user
 * input ("<|endoftext|>") is counted as plain text, never rejected.
 */
export async function createTokenCounter(model: string): Promise<TokenCounter> {
  const encoder = await loadEncoder(encodingForModel(model));
  return remembered((text) => (text.length === 0 ? 0 : encoder.encode(text, [], []).length));
}

/** Texts whose counts are remembered, and the longest text remembered (bounds the cache to ~2 MB). */
const REMEMBERED_TEXTS = 512;
const REMEMBERED_MAX_CHARS = 4096;

/**
 * Remembers the counts of recent short texts: an exchange counts the system prompt and the user's
 * message once to build the prompt and again to store the turn, and the system prompt recurs in every
 * exchange. Least recently used texts are forgotten first.
 */
export function remembered(count: TokenCounter): TokenCounter {
  const counts = createLruCache<number>(REMEMBERED_TEXTS);
  return (text) => {
    if (text.length > REMEMBERED_MAX_CHARS) return count(text);
    let n = counts.get(text);
    if (n === undefined) {
      n = count(text);
      counts.set(text, n);
    }
    return n;
  };
}
