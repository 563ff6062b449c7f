import type { KeyValueStore } from "../core/kv.js";
import { createBm25Ranker } from "../search/ranker.js";
import { decodeSegment, type SearchSegment } from "../search/segment.js";
import { indexTexts, searchTexts } from "../search/text-search.js";
import { createLruCache } from "../util/lru.js";

/** A fact a channel taught the bot with `/memory learn`. */
export interface ChannelFact {
  readonly id: number;
  readonly text: string;
  readonly ts: number;
}

interface FactsRecord {
  next: number;
  facts: ChannelFact[];
}

/** Bounds that keep one channel's facts a small read on every exchange. */
export const MAX_FACTS = 200;
export const MAX_FACT_CHARS = 500;

const factsKey = (channel: string) => `kf:${channel}`;
const FACT_RANKER = createBm25Ranker({ fieldWeights: [1] });
/** Channels whose analyzed facts this process keeps (keyed by the facts themselves, so never stale). */
const ANALYZED_CHANNELS = 1024;

/**
 * Facts per channel, beside the conversation but not part of it: `/memory reset` leaves them, and
 * no channel sees another's. Small enough to search in process, analyzed once per version of a channel's facts.
 */
export interface ChannelFacts {
  learn(channel: string, text: string, now: number): Promise<ChannelFact | { error: string }>;
  list(channel: string): Promise<ChannelFact[]>;
  unlearn(channel: string, id: number): Promise<boolean>;
  search(channel: string, query: string, limit: number): Promise<Array<{ fact: ChannelFact; score: number }>>;
}

export function createChannelFacts(kv: KeyValueStore): ChannelFacts {
  const analyzed = createLruCache<SearchSegment>(ANALYZED_CHANNELS);
  /** The facts' search segment, analyzed once per version of the channel's facts. */
  const segmentOf = (channel: string, facts: readonly ChannelFact[]) => {
    const key = `${channel}\u0000${facts.map((f) => f.id).join(",")}`;
    let segment = analyzed.get(key);
    if (!segment) {
      segment = decodeSegment(
        indexTexts(
          facts.map((f) => ({ id: f.id, fields: [f.text] })),
          1,
        ),
      );
      analyzed.set(key, segment);
    }
    return segment;
  };
  const read = async (channel: string) =>
    (await kv.get<FactsRecord>(factsKey(channel))) ?? { next: 1, facts: [] };
  return {
    async learn(channel, text, now) {
      const clean = text.replace(/\s+/g, " ").trim();
      if (!clean) return { error: "Nothing to learn: give the fact after /memory learn." };
      if (clean.length > MAX_FACT_CHARS)
        return { error: `A fact may have at most ${MAX_FACT_CHARS} characters.` };
      const record = await read(channel);
      if (record.facts.length >= MAX_FACTS)
        return { error: `This channel already has ${MAX_FACTS} facts; unlearn some first.` };
      const fact = { id: record.next, text: clean, ts: now };
      await kv.set(factsKey(channel), { next: record.next + 1, facts: [...record.facts, fact] });
      return fact;
    },
    list: async (channel) => (await read(channel)).facts,
    async unlearn(channel, id) {
      const record = await read(channel);
      const facts = record.facts.filter((f) => f.id !== id);
      if (facts.length === record.facts.length) return false;
      await kv.set(factsKey(channel), { ...record, facts });
      return true;
    },
    async search(channel, query, limit) {
      const { facts } = await read(channel);
      if (facts.length === 0) return [];
      const byId = new Map(facts.map((f) => [f.id, f]));
      return searchTexts([segmentOf(channel, facts)], query, {
        ranker: FACT_RANKER,
        fieldCount: 1,
        limit,
      }).flatMap((hit) => {
        const fact = byId.get(hit.id);
        return fact ? [{ fact, score: hit.score }] : [];
      });
    },
  };
}
