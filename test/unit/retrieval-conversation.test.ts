import { beforeAll, describe, expect, it } from "vitest";
import type { TokenCounter } from "../../src/core/prompt.js";
import type { Turn } from "../../src/core/turn.js";
import { createTokenCounter } from "../../src/llm/tokens.js";
import { rankTurns, SESSION_GAP_MS } from "../../src/memory/retrieval/conversation-rank.js";
import { analyzeTurn, buildTurnBlock, decodeTurnBlock } from "../../src/memory/retrieval/turn-doc.js";

const HOUR = 3_600_000;
const START = Date.UTC(2026, 4, 4, 9); // a Monday in May
let count: TokenCounter;
beforeAll(async () => {
  count = await createTokenCounter("gpt-4o-mini");
});

/** A conversation: [speaker, text, hours after START] per turn, in order. */
function conversation(lines: ReadonlyArray<readonly [string, string, number]>): Turn[] {
  return lines.map(([name, text, hours], seq) => ({
    seq,
    ts: START + hours * HOUR + seq * 1000,
    user: { id: name, name },
    text,
    tokens: 10,
  }));
}

function rank(turns: readonly Turn[], query: string, asker?: string, now = START + 1000 * HOUR) {
  const block = decodeTurnBlock(buildTurnBlock(turns.map((t) => analyzeTurn(t, count))));
  return rankTurns([block], { query, now, from: 0, before: turns.length, limit: 50, asker }).map(
    (r) => r.seq,
  );
}

const chatter = (from: number, n: number) =>
  Array.from(
    { length: n },
    (_, i) => ["zed", `nothing to see ${i}, just coffee and music`, from + i] as const,
  );

describe("retrieval reads a conversation", () => {
  it("finds the answer that follows a question, though the answer shares no word with what is asked", () => {
    const turns = conversation([
      ...chatter(0, 5),
      ["ann", "does anyone know how to reset the router in the lab?", 10],
      ["bob", "unplug it for thirty seconds, then hold the small button", 10],
      ...chatter(20, 5),
    ]);
    const ranked = rank(turns, "how do I reset the lab router?");
    expect(ranked[0]).toBe(5);
    expect(ranked.slice(0, 3)).toContain(6);
  });

  it("ranks the turns of a participant the question names first", () => {
    const turns = conversation([
      ["carol", "we should wait a little before the deploy, the tests are flaky", 1],
      ...chatter(2, 3),
      ["dave", "deploy the deploy branch", 8],
    ]);
    expect(rank(turns, "what did dave think about the deploy?")[0]).toBe(4);
    expect(rank(turns, "what did carol think about the deploy?")[0]).toBe(0);
  });

  it("brings back what the person a message addresses said last, though it shares no word with it", () => {
    const turns = conversation([
      ["erin", "have you tried booting with nomodeset?", 1],
      ...chatter(1, 4),
      ["erin", "the wiki page on graphics drivers is outdated", 2],
      ...chatter(3, 4),
    ]);
    const ranked = rank(turns, "erin: yes, that worked, the screen is back!");
    expect(ranked.slice(0, 2)).toEqual([5, 0]);
  });

  it("ranks the asker's own turns and those addressed to them above the same words from others", () => {
    const turns = conversation([
      ["gus", "the cache fix is merged", 1],
      ["hal", "the cache fix is merged", 1],
      ["ivy", "hal: the cache fix is merged", 1],
      ...chatter(2, 3),
    ]);
    // Without an asker the newer, shorter lines come first.
    expect(rank(turns, "is the cache fix merged?")[0]).not.toBe(0);
    const ranked = rank(turns, "is the cache fix merged?", "gus");
    expect(ranked[0]).toBe(0);
    const forHal = rank(turns, "is the cache fix merged?", "hal");
    expect(forHal.slice(0, 2).sort()).toEqual([1, 2]);
  });

  it("answers a 'when' question with the turn that states a time", () => {
    const turns = conversation([
      ["ann", "the offsite starts on the fourteenth at 09:00 in the big room downstairs", 1],
      ...chatter(2, 3),
      ["bob", "the offsite is in Lisbon", 8],
    ]);
    expect(rank(turns, "where is the offsite?")[0]).toBe(4);
    expect(rank(turns, "when is the offsite?")[0]).toBe(0);
  });

  it("favours the period a question names", () => {
    const july = 60 * 24; // sixty days later
    const turns = conversation([
      ["ann", "we decided to move the standup to the afternoon", 1],
      ...chatter(2, 3),
      ["bob", "we decided to keep the standup", july],
    ]);
    expect(rank(turns, "what did we decide about the standup?")[0]).toBe(4);
    expect(rank(turns, "what did we decide about the standup in May?")[0]).toBe(0);
  });

  it("lifts a turn in the session of the best match above the same words in another session", () => {
    expect(SESSION_GAP_MS).toBeLessThan(2 * HOUR);
    const turns = conversation([
      ["ann", "the kubernetes upgrade plan is ready for review", 1],
      ["bob", "remember the helm chart needs a bump", 1],
      ...chatter(3, 3),
      ["cid", "remember the helm chart needs a bump", 9],
    ]);
    const ranked = rank(turns, "kubernetes upgrade: what about the helm chart?");
    expect(ranked.indexOf(1)).toBeLessThan(ranked.indexOf(5));
  });

  it("ranks nothing for a question that shares no word with the channel", () => {
    const turns = conversation(chatter(0, 10));
    expect(rank(turns, "quarterly revenue forecast")).toEqual([]);
  });
});
