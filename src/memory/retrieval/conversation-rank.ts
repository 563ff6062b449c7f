import { analyze } from "../../search/analyze.js";
import type { Language } from "../../search/languages.js";
import { NO_SLOT, parseQuery } from "../../search/query.js";
import { createBm25Ranker, type Ranker } from "../../search/ranker.js";
import { scoreSegments } from "../../search/score.js";
import { asksWhen, type DateSpan, namedDates } from "../../search/time-words.js";
import { topPositions } from "../../search/top.js";
import { createLruCache } from "../../util/lru.js";
import { TURN_FIELDS, type TurnBlock } from "./turn-doc.js";

/**
 * How a conversation is read, beyond the words a turn shares with the question. Chosen on the
 * retrieval-quality benchmark's ten IRC dev logs (bench/retrieval-quality.ts) and checked on the
 * twelve it was not tuned on and on the multilingual set: see bench/RESULTS.md.
 */
export const CONVERSATION_WEIGHTS = {
  /** A turn gains this share of its better neighbour's score (same session): answers follow questions. */
  neighbour: 0.2,
  /** A turn gains this share of the best score in its session. */
  session: 0.15,
  /** A turn of a participant the question names: its score grows by this share... */
  participant: 1.5,
  /**
   * ...and when the question addresses them ("ana: did it work?", "@ana"), it gains this share of the
   * best score overall, so even one sharing no word with the question ranks: it is what is answered.
   */
  participantFloor: 0.4,
  /** A turn that states a time gains this share of its score when the question asks "when". */
  timely: 1,
  /** A turn from a period the question names ("in May", "last week") gains this share. */
  dated: 0.3,
  /** A recent turn gains this share of the best score, halving every `recencyHalfLife` turns back. */
  recency: 0.3,
  recencyHalfLife: 64,
  /** The asker's name as a term of the question, at this weight: their turns, and those addressed to them. */
  asker: 1.5,
} as const;

/** The weight of a match on who said a turn (the asker's own turns, or one the question names). */
export const TURN_SPEAKER_WEIGHT = 0.5;

/** Turns further apart than this start a new session. */
export const SESSION_GAP_MS = 10 * 60_000;

/** The ranker of every turn index: a reply counts less than what a person said. */
export const TURN_RANKER: Ranker = createBm25Ranker({
  fieldWeights: [1, 0.4, TURN_SPEAKER_WEIGHT],
  k1: 1.2,
  b: [0.75, 0.75, 0],
});

export interface RankTurnsOptions {
  readonly query: string;
  readonly now: number;
  /** Only turns with `from <= seq < before` are ranked. */
  readonly from: number;
  readonly before: number;
  readonly limit: number;
  readonly hint?: Language | undefined;
  readonly ranker?: Ranker | undefined;
  /** Who asks: their own turns and the turns addressed to them rank higher (their conversation). */
  readonly asker?: string | undefined;
}

/** A ranked turn with what its line costs in the prompt. */
export interface RankedTurn {
  readonly seq: number;
  readonly score: number;
  readonly cost: number;
  /**
   * Whether the turn itself matched: it shares a word with the question or is a named or addressed
   * participant's. The others rank only by their neighbourhood, session and recency (fillers).
   */
  readonly matched: boolean;
}

const nameTerms = createLruCache<string[]>(4096);
/** A speaker's name as the question's analysis would see it (a name alone tells no language: the question's). */
function termsOfName(name: string, language: Language | undefined): string[] {
  const key = `${language ?? ""}\u0000${name}`;
  let terms = nameTerms.get(key);
  if (!terms) {
    // As written (how the speaker field holds it) and as the question's language reads it (a mention).
    terms = [...new Set([...analyze(name, { as: "und" }).terms, ...analyze(name, { hint: language }).terms])];
    nameTerms.set(key, terms);
  }
  return terms;
}

/** The language most of the indexed turns are in (blocks count theirs), for a question too short to tell. */
function commonLanguage(blocks: readonly TurnBlock[]): Language | undefined {
  const counts = new Map<string, number>();
  for (const block of blocks)
    for (const [language, n] of Object.entries(block.languages))
      if (language !== "und") counts.set(language, (counts.get(language) ?? 0) + n);
  let best: string | undefined;
  let most = 0;
  for (const [language, n] of counts) if (n > most) [best, most] = [language, n];
  return best as Language | undefined;
}

/** A participant the question names, and one it addresses ("ana: ...", "@ana"). */
const NAMED = 1;
const ADDRESSED = 2;

/** Names a question addresses: "ana: ..." or "ana, ..." at its start, "@ana" anywhere. */
function addressees(query: string): string[] {
  const names = [...query.matchAll(/(?:^|\s)@([^\s@:,]{2,32})/gu)].map((m) => m[1] as string);
  const lead = /^\s*([^\s:,@]{2,32})\s*[:,]/u.exec(query)?.[1];
  return lead ? [lead, ...names] : names;
}

const inSpans = (ts: number, spans: readonly DateSpan[]) => spans.some((s) => ts >= s.from && ts < s.to);

/**
 * Ranks the indexed turns for a question, reading them as a conversation: BM25F over what was said
 * (collection-wide statistics), plus a share of the better neighbour's and of the session's best
 * score, the turns of participants the question names, and for "when" questions the turns that
 * state a time. Best first; ties go to the newer turn.
 */
export function rankTurns(blocks: readonly TurnBlock[], options: RankTurnsOptions): RankedTurn[] {
  const hint = options.hint ?? commonLanguage(blocks);
  const parsed = parseQuery(options.query, hint);
  if (parsed.terms.length === 0 || options.limit <= 0) return [];
  const askerLanguage = parsed.language === "und" ? hint : parsed.language;
  const known = new Set(parsed.terms.map((q) => q.term));
  const askerTerms = options.asker
    ? termsOfName(options.asker, askerLanguage)
        .filter((term) => !known.has(term))
        .map((term) => ({ term, weight: CONVERSATION_WEIGHTS.asker, slot: NO_SLOT }))
    : [];
  const query = [...parsed.terms, ...askerTerms];
  const ranker = options.ranker ?? TURN_RANKER;
  const scored = scoreSegments(
    blocks.map((b) => b.segment),
    query,
    ranker,
    TURN_FIELDS.length,
  );
  const own = scored.scores;
  const n = own.length;
  const final = new Float64Array(n);
  let best = 0;
  for (let d = 0; d < n; d++) if ((own[d] as number) > best) best = own[d] as number;

  // Flatten what the passes below need, in seq order.
  const ts = new Float64Array(n);
  const seq = new Float64Array(n);
  const named = new Uint8Array(n);
  const timely = new Uint8Array(n);
  const cost = new Uint32Array(n);
  const asked = new Set(parsed.terms.map((q) => q.term));
  const language = parsed.language === "und" ? hint : parsed.language;
  const addressed = new Set(addressees(options.query).flatMap((name) => termsOfName(name, language)));
  // Per distinct speaker, once per question (blocks share most of their speakers).
  const roleOf = new Map<string, number>();
  const role = (name: string) => {
    let r = roleOf.get(name);
    if (r === undefined) {
      const terms = termsOfName(name, language);
      r = terms.some((t) => addressed.has(t)) ? ADDRESSED : terms.some((t) => asked.has(t)) ? NAMED : 0;
      roleOf.set(name, r);
    }
    return r;
  };
  blocks.forEach((block, i) => {
    const offset = scored.offsets[i] as number;
    const isNamed = block.speakers.map(role);
    for (let j = 0; j < block.ts.length; j++) {
      ts[offset + j] = block.ts[j] as number;
      seq[offset + j] = block.segment.ids[j] as number;
      named[offset + j] = isNamed[block.speaker[j] as number] ?? 0;
      timely[offset + j] = block.timely[j] as number;
      cost[offset + j] = block.cost[j] as number;
    }
  });

  const anyAddressed = named.includes(ADDRESSED);
  if (best === 0 && !anyAddressed) return [];
  // Shares below are of the best score; with no word in common, of one (only addressed turns rank then).
  if (best === 0) best = 1;
  addSessions(own, ts, final);
  adjust(final, {
    best,
    named,
    timely,
    ts,
    seq,
    before: options.before,
    when: asksWhen(options.query),
    spans: namedDates(options.query, options.now),
  });
  return topTurns(final, seq, cost, (d) => (own[d] as number) > 0 || named[d] !== 0, options);
}

/**
 * Sessions are runs without a gap longer than SESSION_GAP_MS: each turn gets its own score, a share of
 * its better neighbour's in the session, and a share of the session's best.
 */
function addSessions(own: Float64Array, ts: Float64Array, final: Float64Array): void {
  const n = own.length;
  const neighbour = CONVERSATION_WEIGHTS.neighbour;
  const session = CONVERSATION_WEIGHTS.session;
  let start = 0;
  while (start < n) {
    let end = start + 1;
    let sessionBest = own[start] as number;
    while (end < n && (ts[end] as number) - (ts[end - 1] as number) <= SESSION_GAP_MS) {
      const o = own[end] as number;
      if (o > sessionBest) sessionBest = o;
      end++;
    }
    const shared = session * sessionBest;
    for (let e = start; e < end; e++) {
      const prev = e > start ? (own[e - 1] as number) : 0;
      const next = e + 1 < end ? (own[e + 1] as number) : 0;
      final[e] = (own[e] as number) + neighbour * Math.max(prev, next) + shared;
    }
    start = end;
  }
}

interface Adjustments {
  readonly best: number;
  readonly named: Uint8Array;
  readonly timely: Uint8Array;
  readonly ts: Float64Array;
  readonly seq: Float64Array;
  readonly before: number;
  readonly when: boolean;
  readonly spans: readonly DateSpan[];
}

/** Named and addressed participants, recency, "when" questions and named periods. */
function adjust(final: Float64Array, a: Adjustments): void {
  const w = CONVERSATION_WEIGHTS;
  const participant = 1 + w.participant;
  const floor = w.participantFloor * a.best;
  const timely = a.when ? 1 + w.timely : 1;
  const dated = 1 + w.dated;
  // 2^(-age / half-life) as exp(rate * age).
  const rate = -Math.LN2 / w.recencyHalfLife;
  const recency = w.recency * a.best;
  const { named, seq, ts, before, spans } = a;
  for (let d = 0; d < final.length; d++) {
    let score = final[d] as number;
    const role = named[d] as number;
    if (role !== 0) score = score * participant + (role === ADDRESSED ? floor : 0);
    if (recency > 0) score += recency * Math.exp(rate * (before - (seq[d] as number)));
    if (timely !== 1 && a.timely[d] === 1) score *= timely;
    if (spans.length > 0 && inSpans(ts[d] as number, spans)) score *= dated;
    final[d] = score;
  }
}

/** The `limit` best turns in range with a positive score, best first, newer first on ties. */
function topTurns(
  final: Float64Array,
  seq: Float64Array,
  cost: Uint32Array,
  matched: (position: number) => boolean,
  options: Pick<RankTurnsOptions, "from" | "before" | "limit">,
): RankedTurn[] {
  return topPositions(final, seq, options.limit, options.from, options.before).map((d) => ({
    seq: seq[d] as number,
    score: final[d] as number,
    cost: cost[d] as number,
    matched: matched(d),
  }));
}
