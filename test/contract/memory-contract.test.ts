import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { createMemoryRegistry } from "../../src/memory/registry.js";
import { createHarness, promptText } from "../helpers/harness.js";
import { STORE_KINDS, type StoreFixture, storeAvailable, storeFixture } from "../helpers/stores.js";

const MODES = createMemoryRegistry().names();

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
            text: fc.string({ minLength: 1, maxLength: 600 }),
          }),
          {
            minLength: 1,
            maxLength: 25,
          },
        ),
        fc.integer({ min: 256, max: 1200 }),
        fc.integer({ min: 1, max: 12 }),
        async (conversation, budget, k) => {
          const fixture = storeFixture("memory");
          const h = await createHarness({
            kv: await fixture.open(),
            settings: { defaultMode: mode, maxPromptTokens: budget, windowTurns: k },
          });
          for (const { user, text } of conversation) await h.say("c", user, text.trim() || "x");
          for (const request of h.model.requests) {
            const { promptTokens } = await import("../../src/core/prompt.js");
            expect(promptTokens(h.countTokens, request.messages)).toBeLessThanOrEqual(budget);
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});
