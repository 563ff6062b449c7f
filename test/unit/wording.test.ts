import { describe, expect, it } from "vitest";
import { createKeyvStore } from "../../src/store/keyv-store.js";
import { createHarness } from "../helpers/harness.js";

const open = () => createKeyvStore({ url: "memory://", namespace: `wording-${Math.random()}` });

describe("answers count in plain English", () => {
  it("says '1 turn', never '1 turns', in /memory show, a mode change and a reset", async () => {
    const h = await createHarness({ kv: await open() });
    await h.say("c", "ann", "hello");
    expect(await h.command("c", "/memory show")).toMatch(/recent \d+ \(1 turn\)/);
    expect(await h.command("c", "/memory show")).toMatch(/retrieved 0 \(0 turns\)/);
    expect(await h.command("c", "/memory mode window 1")).toContain("with a window of 1 turn.");
    expect(await h.command("c", "/memory reset")).toMatch(/^Memory reset: forgot 1 turn and/);
  });

  it("says 'Forgot 1 of your messages' after /memory forget-me", async () => {
    const h = await createHarness({ kv: await open() });
    await h.say("c", "ann", "a secret");
    expect(
      await h.command("c", "/memory forget-me", { user: { id: "ann", name: "ann", isBot: false } }),
    ).toMatch(/^Forgot 1 of your messages in this channel/);
  });
});
