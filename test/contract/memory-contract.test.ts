import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { channelKey } from "../../src/core/channel-key.js";
import { promptTokens } from "../../src/core/prompt.js";
import { createMemoryRegistry } from "../../src/memory/registry.js";
import { createHarness, promptText } from "../helpers/harness.js";
import { STORE_KINDS, type StoreFixture, storeAvailable, storeFixture } from "../helpers/stores.js";

const MODES = createMemoryRegistry().names();
/** Modes that remember beyond the recent turns (a summary or an index): they get the derived-data checks. */
const LONG_MEMORY_MODES = ["summary", "summary-buffer", "retrieval"];
const KEY = channelKey({ platform: "console", workspace: "w1", channel: "c" });
/** A small budget and threshold, so a few dozen turns build a summary and fill index chunks. */
const SMALL = { maxPromptTokens: 400 } as const;
const SMALL_MEMORY = { summaryTriggerTokens: 80, retrievalK: 4 } as const;
const filler = (i: number) => `small talk ${i} about lunch and the weather`;

it("every built-in mode is under contract, and the long-memory ones get the derived-data checks", () => {
  expect(MODES).toEqual(["buffer", "window", ...LONG_MEMORY_MODES]);
});

describe.each(STORE_KINDS)("memory contract on the %s store", (kind) => {
  const fixtures: StoreFixture[] = [];
  const fresh = () => {
    const fixture = storeFixture(kind);
    fixtures.push(fixture);
    return fixture;
  };
  afterEach(async () => {
    await Promise.all(fixtures.splice(0).map((f) => f.cleanup()));
  });

  describe.skipIf(!storeAvailable(kind)).each(MODES)("mode %s", (mode) => {
    it("keeps channels apart: a prompt never carries another channel's words", async () => {
      const fixture = fresh();
      const h = await createHarness({ kv: await fixture.open(), settings: { defaultMode: mode } });
      await h.say("alpha", "ann", "the alpha secret is PELICAN");
      await h.say("beta", "bob", "the beta secret is WALRUS");
      await h.say("alpha", "ann", "what is the secret?");
      await h.say("beta", "bob", "what is the secret?");
      const [, , alphaAsk, betaAsk] = h.model.requests;
      expect(promptText(alphaAsk?.messages ?? [])).toContain("PELICAN");
      expect(promptText(alphaAsk?.messages ?? [])).not.toContain("WALRUS");
      expect(promptText(betaAsk?.messages ?? [])).toContain("WALRUS");
      expect(promptText(betaAsk?.messages ?? [])).not.toContain("PELICAN");
    });

    it("keeps the same channel id on two platforms or workspaces apart", async () => {
      const fixture = fresh();
      const kv = await fixture.open();
      const a = await createHarness({
        kv,
        settings: { defaultMode: mode },
        platform: "discord",
        workspace: "g1",
      });
      const b = await createHarness({
        kv,
        settings: { defaultMode: mode },
        platform: "slack",
        workspace: "g1",
      });
      const c = await createHarness({
        kv,
        settings: { defaultMode: mode },
        platform: "discord",
        workspace: "g2",
      });
      await a.say("C1", "ann", "discord g1 word OTTER");
      await b.say("C1", "bob", "hello");
      await c.say("C1", "cid", "hello");
      expect(promptText(b.model.requests[0]?.messages ?? [])).not.toContain("OTTER");
      expect(promptText(c.model.requests[0]?.messages ?? [])).not.toContain("OTTER");
    });

    it("replays turns in the order they happened, with the speaker's name", async () => {
      const fixture = fresh();
      const h = await createHarness({ kv: await fixture.open(), settings: { defaultMode: mode } });
      for (let i = 0; i < 5; i++) await h.say("c", i % 2 ? "bob" : "ann", `message number ${i}`);
      const last = h.model.requests.at(-1)?.messages ?? [];
      const users = last.filter((m) => m.role === "user").map((m) => m.content);
      expect(users).toEqual([
        "ann: message number 0",
        "bob: message number 1",
        "ann: message number 2",
        "bob: message number 3",
        "ann: message number 4",
      ]);
    });

    it("survives a restart: a new process on the same store sees the turns and the channel's mode", async () => {
      const fixture = fresh();
      const first = await createHarness({ kv: await fixture.open(), settings: { defaultMode: "buffer" } });
      expect(await first.command("c", `/memory mode ${mode}`)).toContain(`now ${mode}`);
      await first.say("c", "ann", "remember the word HARPSICHORD");
      await first.bot.idle();
      const kv2 = await fixture.open();
      const second = await createHarness({ kv: kv2, settings: { defaultMode: "buffer" } });
      await second.say("c", "ann", "what was the word?");
      expect(promptText(second.model.requests[0]?.messages ?? [])).toContain("HARPSICHORD");
      expect(await second.command("c", "/memory show")).toContain(`Mode: ${mode}`);
      await kv2.close();
    });

    it("reset forgets the turns and says how many it dropped", async () => {
      const fixture = fresh();
      const h = await createHarness({ kv: await fixture.open(), settings: { defaultMode: mode } });
      await h.say("c", "ann", "the code is ZEBRA");
      await h.say("c", "ann", "and another");
      expect(await h.command("c", "/memory reset")).toContain("forgot 2 turns");
      await h.say("c", "ann", "what is the code?");
      expect(promptText(h.model.requests.at(-1)?.messages ?? [])).not.toContain("ZEBRA");
      expect(await h.command("c", "/memory show")).toContain("Turns stored: 1");
    });

    it("reset also deletes what the mode derived (summary, index, vectors), not only the turns", async () => {
      const fixture = fresh();
      const h = await createHarness({
        kv: await fixture.open(),
        settings: { defaultMode: mode, ...SMALL, listen: "all" },
        memorySettings: SMALL_MEMORY,
      });
      await h.say("c", "ann", "the launch code is PELICAN7");
      for (let i = 0; i < 15; i++) await h.overhear("c", "bob", filler(i));
      await h.say("c", "ann", "what is the launch code?");
      const before = await h.store.load(KEY);
      if (LONG_MEMORY_MODES.includes(mode)) {
        expect(Object.keys(before.derived).length + before.derivedKeys.length).toBeGreaterThan(0);
        expect(promptText(h.model.requests.at(-1)?.messages ?? [])).toContain("PELICAN7");
      }
      await h.command("c", "/memory reset");
      const after = await h.store.load(KEY);
      expect(after.derived).toEqual({});
      expect(after.derivedKeys).toEqual([]);
      for (const name of before.derivedKeys) expect(await h.store.getDerived(KEY, name)).toBeUndefined();
      const summaryCalls = h.summarizer.requests.length;
      for (let i = 0; i < 8; i++) await h.overhear("c", "bob", `fresh start ${i}`);
      await h.say("c", "ann", "what is the launch code?");
      expect(promptText(h.model.requests.at(-1)?.messages ?? [])).not.toContain("PELICAN7");
      for (const request of h.summarizer.requests.slice(summaryCalls))
        expect(promptText(request.messages)).not.toContain("PELICAN7");
    });

    // Registered only for the long-memory modes (not skipped for the others: CI counts skips as failures).
    const longMemoryIt = LONG_MEMORY_MODES.includes(mode) ? it : () => {};
    longMemoryIt("a new process on the same store recalls a fact from before the recent turns", async () => {
      const fixture = fresh();
      const options = {
        settings: { defaultMode: mode, ...SMALL, listen: "all" as const },
        memorySettings: SMALL_MEMORY,
      };
      const first = await createHarness({ kv: await fixture.open(), ...options });
      await first.say("c", "ann", "the launch code is PELICAN7");
      for (let i = 0; i < 40; i++) await first.overhear("c", "bob", filler(i));
      await first.bot.idle();
      const kv2 = await fixture.open();
      const second = await createHarness({ kv: kv2, ...options });
      await second.say("c", "ann", "what is the launch code?");
      const prompt = second.model.requests[0]?.messages ?? [];
      expect(promptText(prompt)).toContain("PELICAN7");
      expect(prompt.filter((m) => m.role === "user").map((m) => m.content)).not.toContain(
        "ann: the launch code is PELICAN7",
      );
      await kv2.close();
    });

    it("switching to any other mode and back keeps every turn", async () => {
      const fixture = fresh();
      const h = await createHarness({ kv: await fixture.open(), settings: { defaultMode: mode } });
      for (let i = 0; i < 12; i++) await h.say("c", "ann", `fact ${i}`);
      for (const other of MODES) {
        await h.command("c", `/memory mode ${other}`);
        expect(await h.command("c", "/memory show")).toContain("Turns stored: 12");
      }
      await h.command("c", "/memory mode buffer");
      await h.say("c", "ann", "list everything");
      const text = promptText(h.model.requests.at(-1)?.messages ?? []);
      for (let i = 0; i < 12; i++) expect(text).toContain(`fact ${i}`);
    });
  });
});

describe.each(MODES)("token budget in mode %s", (mode) => {
  it("never sends a prompt over MEMORY_MAX_PROMPT_TOKENS, whatever the conversation", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            user: fc.constantFrom("ann", "bob", "a very long display name indeed"),
            text: fc.oneof(
              fc.string({ minLength: 1, maxLength: 600 }),
              fc
                .array(fc.constantFrom("deploy", "Friday", "PELICAN", "database", "window", "cert"), {
                  minLength: 1,
                  maxLength: 120,
                })
                .map((words) => words.join(" ")),
            ),
            addressed: fc.boolean(),
          }),
          {
            minLength: 1,
            maxLength: 25,
          },
        ),
        fc.integer({ min: 256, max: 1200 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 50, max: 600 }),
        // Retrieval's cap: unset (the default) fills the budget.
        fc.option(fc.integer({ min: 1, max: 12 }), { nil: undefined }),
        async (conversation, budget, k, trigger, cap) => {
          const fixture = storeFixture("memory");
          const h = await createHarness({
            kv: await fixture.open(),
            settings: { defaultMode: mode, maxPromptTokens: budget, windowTurns: k, listen: "all" },
            memorySettings: { summaryTriggerTokens: trigger, retrievalK: cap },
          });
          for (const { user, text, addressed } of conversation) {
            if (addressed) await h.say("c", user, text.trim() || "x");
            else await h.overhear("c", user, text);
          }
          for (const request of [...h.model.requests, ...h.summarizer.requests]) {
            expect(promptTokens(h.countTokens, request.messages)).toBeLessThanOrEqual(budget);
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe("retrieval without a cap", () => {
  it("fills the budget it is given with matching turns, to within one line, and never passes it", async () => {
    const budget = 900;
    const h = await createHarness({
      kv: await storeFixture("memory").open(),
      settings: { defaultMode: "retrieval", maxPromptTokens: budget, listen: "all" },
    });
    for (let i = 0; i < 200; i++)
      await h.overhear("c", i % 2 ? "ann" : "bob", `the PELICAN deploy step ${i} went fine on host ${i % 7}`);
    await h.say("c", "cid", "how did the PELICAN deploy go?");
    const request = h.model.requests[0];
    const used = promptTokens(h.countTokens, request?.messages ?? []);
    const longestLine =
      h.countTokens("- [2026-01-01 00:00] ann: the PELICAN deploy step 199 went fine on host 6") + 1;
    expect(used).toBeLessThanOrEqual(budget);
    expect(used).toBeGreaterThan(budget - longestLine);
  });
});
