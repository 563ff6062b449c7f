import { describe, expect, it } from "vitest";
import { channelKey } from "../../src/core/channel-key.js";
import type { HandleOutcome } from "../../src/core/outcome.js";
import type { Memory } from "../../src/memory/types.js";
import { createMetrics } from "../../src/metrics/metrics.js";
import { createKeyvStore } from "../../src/store/keyv-store.js";
import { createHarness } from "../helpers/harness.js";

const KEY = channelKey({ platform: "console", workspace: "w1", channel: "c" });

/** A strategy with a bug: while `broken` is set, building its view throws a plain Error. */
function buggyMode() {
  const state = { broken: false };
  const memory: Memory = {
    name: "buggy",
    description: "a mode with a bug",
    load: async () => {
      if (state.broken) throw new Error("undefined is not a function");
      return { retrieved: [], recent: [] };
    },
  };
  return { state, factory: () => memory };
}

async function rig() {
  const metrics = createMetrics();
  const buggy = buggyMode();
  const h = await createHarness({
    kv: await createKeyvStore({ url: "memory://", namespace: "bot-failure" }),
    factories: [buggy.factory],
    settings: { defaultMode: "buggy" },
    deps: { observer: metrics.observer },
  });
  const counted = async (outcome: HandleOutcome) =>
    (await metrics.registry.getSingleMetric("cmb_events_total")?.get())?.values.find(
      (v) => v.labels.outcome === outcome,
    )?.value ?? 0;
  return { h, state: buggy.state, counted };
}

describe("an unexpected failure", () => {
  it("is the outcome `failed`: apologised for, counted as failed (not llm-failed), nothing saved", async () => {
    const { h, state, counted } = await rig();
    expect(await h.say("c", "ann", "first")).toEqual(["reply 1"]);
    state.broken = true;
    const replies: string[] = [];
    const outcome = await h.bot.handle(
      {
        kind: "message",
        id: "boom",
        platform: "console",
        workspace: "w1",
        channel: "c",
        user: { id: "ann", name: "ann", isBot: false },
        isAdmin: true,
        text: "the secret is KIWI",
        addressed: true,
      },
      { send: async (reply) => void replies.push(reply.text) },
    );
    expect(outcome).toBe("failed");
    expect(replies).toEqual(["Sorry, something went wrong on my side. Please try again."]);
    expect(await counted("failed")).toBe(1);
    expect(await counted("llm-failed")).toBe(0);
    expect(h.model.requests).toHaveLength(1);
    const session = await h.store.load(KEY);
    expect(session.next - session.first).toBe(1);

    state.broken = false;
    expect(await h.say("c", "ann", "still there?")).toEqual(["reply 2"]);
    expect(await counted("answered")).toBe(2);
  });
});

describe("an unexpected failure before the event's work", () => {
  it("is `failed` too, counted, and handle still resolves", async () => {
    const metrics = createMetrics();
    const h = await createHarness({
      kv: await createKeyvStore({ url: "memory://", namespace: "bot-failure-early" }),
      deps: {
        observer: metrics.observer,
        access: () => {
          throw new Error("a bug in the access rules");
        },
      },
    });
    expect(await h.say("c", "ann", "hi")).toEqual([]);
    const values = (await metrics.registry.getSingleMetric("cmb_events_total")?.get())?.values ?? [];
    expect(values.map((v) => [v.labels.outcome, v.value])).toEqual([["failed", 1]]);
    expect(h.model.requests).toHaveLength(0);
  });
});
