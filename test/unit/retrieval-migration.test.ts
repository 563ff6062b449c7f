import { describe, expect, it } from "vitest";
import { channelKey } from "../../src/core/channel-key.js";
import { createChunkedIndex } from "../../src/memory/retrieval/legacy/lexical-index.js";
import { INLINE_REBUILD_TURNS } from "../../src/memory/retrieval/migrate.js";
import { INDEX_FORMAT, readRetrieval, writeRetrieval } from "../../src/memory/retrieval/state.js";
import { INDEX_BLOCK_TURNS } from "../../src/memory/retrieval/turn-index.js";
import type { MemoryContext } from "../../src/memory/types.js";
import { createLruCache } from "../../src/util/lru.js";
import { createHarness, memoryText } from "../helpers/harness.js";
import { storeFixture } from "../helpers/stores.js";

const KEY = channelKey({ platform: "console", workspace: "w1", channel: "c" });
const OLD_FACT = "the printer on floor three is called GANNET and needs toner every friday";
const NEW_FACT = "the staging cluster password rotation is owned by PLOVER";
const filler = (i: number) => `chat ${i} about lunch and the weather and nothing much`;

type H = Awaited<ReturnType<typeof createHarness>>;

/** Writes the channel's index as the previous version did (format 1, `ix:` entries), as a store upgraded in place holds it. */
async function indexTheOldWay(h: H) {
  const session = await h.store.load(KEY);
  const ctx: MemoryContext = {
    channel: KEY,
    session,
    turns: h.store.reader(KEY, session),
    store: h.store,
    countTokens: h.countTokens,
    query: "",
    windowTurns: 10,
    now: Date.now,
  };
  const legacy = createChunkedIndex(() => createLruCache(64));
  for (let from = session.first; from < session.next; from += INDEX_BLOCK_TURNS)
    await legacy.add(ctx, await ctx.turns.range(from, Math.min(session.next, from + INDEX_BLOCK_TURNS)));
  writeRetrieval(session, { indexed: session.next, embedded: session.first });
  await h.store.save(KEY, session);
}

async function channelWithOldIndex(turns: number) {
  const h = await createHarness({
    kv: await storeFixture("memory").open(),
    settings: { defaultMode: "window", maxPromptTokens: 1500, listen: "all" },
  });
  await h.overhear("c", "ann", OLD_FACT);
  for (let i = 1; i < turns; i++) await h.overhear("c", i % 2 ? "bob" : "cid", filler(i));
  await indexTheOldWay(h);
  await h.command("c", "mode retrieval");
  return h;
}

const legacyNames = async (h: H) => (await h.store.load(KEY)).derivedKeys.filter((n) => n.startsWith("ix:"));

describe("a channel indexed by the previous version", () => {
  it("is re-indexed on its next message when small, finds what it found before, and drops the old index", async () => {
    const h = await channelWithOldIndex(600);
    expect(await legacyNames(h)).not.toEqual([]);
    await h.say("c", "dan", "what is the printer on floor three called?");
    expect(memoryText(h.model.requests[0]?.messages ?? [])).toContain("GANNET");
    const session = await h.store.load(KEY);
    expect(readRetrieval(session)).toMatchObject({ format: INDEX_FORMAT, indexed: session.next });
    expect(await legacyNames(h)).toEqual([]);
    expect(session.next - session.first).toBe(601);
  });

  it("when large, keeps answering from the old index while the new one is built after each reply, then switches", async () => {
    const turns = INLINE_REBUILD_TURNS + 300;
    const h = await channelWithOldIndex(turns);
    await h.say("c", "dan", "what is the printer on floor three called?");
    expect(memoryText(h.model.requests[0]?.messages ?? [])).toContain("GANNET");
    let state = readRetrieval(await h.store.load(KEY));
    expect(state.format).not.toBe(INDEX_FORMAT);
    expect(state.rebuilt).toBe(INDEX_BLOCK_TURNS);
    // Said while the old index serves: found too, though the old index never saw it.
    await h.overhear("c", "eve", NEW_FACT);
    for (let i = 0; i < 5; i++) await h.overhear("c", "bob", filler(i));
    await h.say("c", "dan", "who owns the staging cluster password rotation?");
    expect(memoryText(h.model.requests[1]?.messages ?? [])).toContain("PLOVER");
    const steps = Math.ceil((turns + 8) / INDEX_BLOCK_TURNS);
    for (let i = 0; i < steps; i++) await h.say("c", "dan", `anything new ${i}?`);
    const session = await h.store.load(KEY);
    state = readRetrieval(session);
    expect(state).toMatchObject({ format: INDEX_FORMAT, indexed: session.next });
    expect(state.rebuilt).toBeUndefined();
    expect(await legacyNames(h)).toEqual([]);
    await h.say("c", "dan", "what is the printer on floor three called, and who owns the password rotation?");
    const memory = memoryText(h.model.requests.at(-1)?.messages ?? []);
    expect(memory).toContain("GANNET");
    expect(memory).toContain("PLOVER");
    // No turn was lost on the way.
    expect(session.next - session.first).toBe(turns + 8 + steps);
  });
});
