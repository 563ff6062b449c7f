import { retrievedLine, type TokenCounter } from "../../core/prompt.js";
import type { Turn } from "../../core/turn.js";
import { analyze } from "../../search/analyze.js";
import type { Language } from "../../search/languages.js";
import {
  type AnalyzedDoc,
  buildSegment,
  decodeSegment,
  type SearchSegment,
  type StoredSegment,
} from "../../search/segment.js";
import { mentionsTime } from "../../search/time-words.js";
import { createLruCache, type LruCache } from "../../util/lru.js";

/**
 * The fields a turn is indexed by: what the person said, the bot's answer (counting less), and who said
 * it (their name as written: names are not stemmed).
 */
export const TURN_FIELDS = ["text", "reply", "speaker"] as const;

/** A turn as the index sees it. */
export interface TurnEntry {
  readonly doc: AnalyzedDoc;
  readonly ts: number;
  readonly speaker: string;
  /** Whether it states a time, a date or a duration (for "when" questions). */
  readonly timely: boolean;
  /** Tokens its line costs among the retrieved turns of a prompt, with its line break (exact: see memoryTokens). */
  readonly cost: number;
  readonly language: Language | "und";
}

/** Analyzed turns a process keeps, keyed by content: the turns still unsealed are analyzed once. */
const ENTRY_CACHE_SIZE = 8192;
const caches = new WeakMap<TokenCounter, LruCache<TurnEntry>>();

const contentKey = (turn: Turn) =>
  `${turn.seq}\u0000${turn.ts}\u0000${turn.user.name}\u0000${turn.text}\u0000${turn.reply ?? "\u0001"}`;

/** Analyzes a turn for the index (cached per process by its content, so an edit is analyzed anew). */
export function analyzeTurn(turn: Turn, countTokens: TokenCounter, hint?: Language): TurnEntry {
  let cache = caches.get(countTokens);
  if (!cache) {
    cache = createLruCache<TurnEntry>(ENTRY_CACHE_SIZE);
    caches.set(countTokens, cache);
  }
  const key = contentKey(turn);
  const hit = cache.get(key);
  if (hit) return hit;
  const said = analyze(turn.text, { hint });
  const reply = turn.reply
    ? analyze(turn.reply, { hint: said.language === "und" ? hint : said.language })
    : undefined;
  const entry: TurnEntry = {
    doc: {
      id: turn.seq,
      fields: [said.terms, reply?.terms ?? [], analyze(turn.user.name, { as: "und" }).terms],
    },
    ts: turn.ts,
    speaker: turn.user.name,
    timely: mentionsTime(turn.text),
    cost: countTokens(`${retrievedLine(turn)}\n`),
    language: said.language,
  };
  cache.set(key, entry);
  return entry;
}

/** A block or chunk of the turn index as the store keeps it. */
export interface StoredTurnBlock {
  readonly v: 2;
  readonly segment: StoredSegment;
  readonly ts: number[];
  /** Distinct speaker names of the block, and each turn's position in it. */
  readonly speakers: string[];
  readonly speaker: number[];
  /** 1 for a turn that states a time. */
  readonly timely: number[];
  readonly cost: number[];
  /** Turns per language, for the channel's usual language. */
  readonly languages: Record<string, number>;
}

/** A block decoded for search. */
export interface TurnBlock {
  readonly segment: SearchSegment;
  readonly ts: Float64Array;
  readonly speakers: readonly string[];
  readonly speaker: Uint32Array;
  readonly timely: Uint8Array;
  readonly cost: Uint32Array;
  readonly languages: Readonly<Record<string, number>>;
}

/** The stored form of analyzed turns, oldest first. */
export function buildTurnBlock(entries: readonly TurnEntry[]): StoredTurnBlock {
  const speakers: string[] = [];
  const position = new Map<string, number>();
  const languages: Record<string, number> = {};
  const speaker = entries.map((e) => {
    let at = position.get(e.speaker);
    if (at === undefined) {
      at = speakers.length;
      speakers.push(e.speaker);
      position.set(e.speaker, at);
    }
    languages[e.language] = (languages[e.language] ?? 0) + 1;
    return at;
  });
  return {
    v: 2,
    segment: buildSegment(
      entries.map((e) => e.doc),
      TURN_FIELDS.length,
    ),
    ts: entries.map((e) => e.ts),
    speakers,
    speaker,
    timely: entries.map((e) => (e.timely ? 1 : 0)),
    cost: entries.map((e) => e.cost),
    languages,
  };
}

const isStoredBlock = (value: unknown): value is StoredTurnBlock =>
  (value as Partial<StoredTurnBlock> | undefined)?.v === 2 && Array.isArray((value as StoredTurnBlock).ts);

/** Decodes a stored block (absent or foreign: empty). */
export function decodeTurnBlock(stored: unknown): TurnBlock {
  const block = isStoredBlock(stored) ? stored : buildTurnBlock([]);
  return {
    segment: decodeSegment(block.segment),
    ts: Float64Array.from(block.ts),
    speakers: block.speakers,
    speaker: Uint32Array.from(block.speaker),
    timely: Uint8Array.from(block.timely),
    cost: Uint32Array.from(block.cost),
    languages: block.languages,
  };
}
