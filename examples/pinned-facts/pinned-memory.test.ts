import { describe, expect, it } from "vitest";
import { BUILTIN_MEMORY_FACTORIES } from "../../src/index.js";
import { createHarness, promptText } from "../../test/helpers/harness.js";
import { storeFixture } from "../../test/helpers/stores.js";
import { createPinnedMemory, MAX_PIN_CHARS } from "./pinned-memory.js";

const factories = [...BUILTIN_MEMORY_FACTORIES, createPinnedMemory];

async function pinnedHarness(kv?: Awaited<ReturnType<ReturnType<typeof storeFixture>["open"]>>) {
  return createHarness({
    kv: kv ?? (await storeFixture("memory").open()),
    factories,
    settings: { defaultMode: "pinned", windowTurns: 2 },
  });
}

describe("example strategy: pinned facts", () => {
  it("carries a pinned fact in every prompt, long after the window forgot the turn", async () => {
    const h = await pinnedHarness();
    expect(await h.command("c", "/memory pin the staging password rotates on MONDAYS")).toContain(
      "Pinned (#1)",
    );
    for (let i = 0; i < 6; i++) await h.say("c", "ann", `chatter ${i}`);
    const prompt = promptText(h.model.requests.at(-1)?.messages ?? []);
    expect(prompt).toContain("MONDAYS");
    expect(prompt).not.toContain("chatter 0");
    expect(await h.command("c", "/memory show")).toMatch(/Pinned facts \(1\):\n1\. the staging password/);
  });

  it("keeps pins per channel, across a restart, and forgets them on reset", async () => {
    const fixture = storeFixture("sqlite");
    try {
      const first = await pinnedHarness(await fixture.open());
      await first.command("alpha", "/memory pin alpha uses PORT8080");
      const second = await pinnedHarness(await fixture.open());
      await second.say("alpha", "ann", "which port?");
      await second.say("beta", "bob", "which port?");
      expect(promptText(second.model.requests[0]?.messages ?? [])).toContain("PORT8080");
      expect(promptText(second.model.requests[1]?.messages ?? [])).not.toContain("PORT8080");
      await second.command("alpha", "/memory reset");
      await second.say("alpha", "ann", "which port now?");
      expect(promptText(second.model.requests.at(-1)?.messages ?? [])).not.toContain("PORT8080");
    } finally {
      await fixture.cleanup();
    }
  });

  it("answers bad pin commands clearly and points other modes to it", async () => {
    const h = await pinnedHarness();
    expect(await h.command("c", "/memory pin")).toBe("Usage: /memory pin <text>");
    expect(await h.command("c", `/memory pin ${"x".repeat(MAX_PIN_CHARS + 1)}`)).toContain("at most");
    expect(await h.command("c", "/memory unpin 3")).toBe("There are no pins.");
    expect(await h.command("c", "/memory unpin 1", { isAdmin: false })).toContain("Only channel admins");
    expect(await h.command("c", "/memory help")).toContain("/memory pin <text>");
    await h.command("c", "/memory mode window");
    const elsewhere = await h.command("c", "/memory pin something");
    expect(elsewhere).toContain("/memory pin is a command of the pinned mode, and this channel uses window");
    expect(elsewhere).toContain("/memory mode pinned");
  });

  it("is selectable by name like any built-in mode", async () => {
    const h = await createHarness({ kv: await storeFixture("memory").open(), factories });
    expect(await h.command("c", "/memory mode")).toContain("- pinned: facts pinned with /memory pin");
    expect(await h.command("c", "/memory mode pinned 3")).toContain(
      "Memory mode is now pinned with a window of 3",
    );
  });
});
