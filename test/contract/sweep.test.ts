import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import type { Coordination } from "../../src/core/coordination.js";
import { sweepIdle } from "../../src/jobs/sweep.js";
import { startSweepJob } from "../../src/jobs/sweep-job.js";
import { foldIntoSummary } from "../../src/memory/summary/fold.js";
import { type KeyvStore, openStore } from "../../src/store/keyv-store.js";
import { createHarness, promptText } from "../helpers/harness.js";
import { dropNamespace, TEST_REDIS_URL, testNamespace } from "../helpers/redis.js";

const HOUR = 3_600_000;
const silent = pino({ level: "silent" });

type Opened = { kv: KeyvStore; coordination: Coordination };
type TestHarness = Awaited<ReturnType<typeof createHarness>>;

/** One sweep with a 24-hour TTL at the given time, as the job would run it. */
const sweepAt = (h: TestHarness, coordination: Coordination, clock: number) =>
  sweepIdle({
    activity: coordination.activity,
    store: h.store,
    exclusive: h.bot.exclusive,
    idleTtlMs: 24 * HOUR,
    action: "clear",
    now: () => clock,
    logger: silent,
  });

async function open(kind: "memory" | "redis", namespace: string): Promise<Opened> {
  const { kv, coordination } = await openStore({
    url: kind === "redis" ? (TEST_REDIS_URL ?? "") : "memory://",
    namespace,
    lock: { leaseMs: 2000, waitMs: 5000 },
  });
  return { kv, coordination };
}

describe.each(["memory", "redis"] as const)("idle sweep on the %s store", (kind) => {
  const namespace = testNamespace("sweep");
  const opened: KeyvStore[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((kv) => kv.close()));
    if (kind === "redis" && TEST_REDIS_URL) await dropNamespace(TEST_REDIS_URL, namespace);
  });

  it.skipIf(kind === "redis" && !TEST_REDIS_URL)(
    "clears channels idle past the TTL and leaves active ones",
    async () => {
      let clock = Date.UTC(2026, 0, 1);
      const { kv, coordination } = await open(kind, namespace);
      opened.push(kv);
      const h = await createHarness({ kv, coordination, now: () => clock });
      await h.say("idle-1", "ann", "the idle secret is MARMOT");
      await h.say("idle-2", "bob", "more idle talk");
      clock += 23 * HOUR;
      await h.say("active", "cy", "the active secret is HERON");
      clock += 2 * HOUR;

      const report = await sweepAt(h, coordination, clock);
      expect(report).toMatchObject({ cleared: 2, stillActive: 0, failed: 0, turnsDropped: 2 });
      expect(await h.command("idle-1", "/memory show")).toContain("Turns stored: 0");
      expect(await h.command("active", "/memory show")).toContain("Turns stored: 1");
      await h.say("idle-1", "ann", "what was the secret?");
      expect(promptText(h.model.requests.at(-1)?.messages ?? [])).not.toContain("MARMOT");

      // A second run finds nothing more to do: cost follows idle channels, not all channels.
      const again = await sweepAt(h, coordination, clock);
      expect(again.cleared).toBe(0);
    },
  );

  it.skipIf(kind === "redis" && !TEST_REDIS_URL)(
    "leaves a channel that spoke again after it was indexed",
    async () => {
      let clock = Date.UTC(2026, 0, 1);
      const { kv, coordination } = await open(kind, namespace);
      opened.push(kv);
      const h = await createHarness({ kv, coordination, now: () => clock });
      await h.say("c", "ann", "hello");
      clock += 30 * HOUR;
      // The index lags (it is only a hint): the session record says the channel is active.
      const session = await h.store.load("console:w1:c");
      session.lastActivity = clock;
      await h.store.save("console:w1:c", session);
      const report = await sweepAt(h, coordination, clock);
      expect(report).toMatchObject({ cleared: 0, stillActive: 1 });
      expect(await h.command("c", "/memory show")).toContain("Turns stored: 1");
    },
  );
});

describe.skipIf(!TEST_REDIS_URL)("the idle job started in two processes on one Redis", () => {
  const namespace = testNamespace("sweepjob");
  afterEach(() => dropNamespace(TEST_REDIS_URL ?? "", namespace));

  it("clears each idle channel once, in one process per slot, and leaves the active ones", async () => {
    const a = await open("redis", namespace);
    const b = await open("redis", namespace);
    const clock = { now: Date.now() };
    const ha = await createHarness({ kv: a.kv, coordination: a.coordination, now: () => clock.now });
    const hb = await createHarness({ kv: b.kv, coordination: b.coordination, now: () => clock.now });
    for (let i = 0; i < 6; i++) await (i % 2 ? ha : hb).say(`idle-${i}`, "ann", `idle ${i}`);
    clock.now += 2 * HOUR;
    await ha.say("active", "bob", "still here");

    const reports: Array<{ process: string; cleared: number }> = [];
    const jobs = [
      ["a", a, ha],
      ["b", b, hb],
    ].map(([name, o, h]) => {
      const { coordination } = o as Opened;
      const harness = h as typeof ha;
      return startSweepJob({
        schedule: "* * * * * *",
        coordination,
        activity: coordination.activity,
        store: harness.store,
        exclusive: harness.bot.exclusive,
        idleTtlMs: HOUR,
        action: "clear",
        now: () => clock.now,
        logger: silent,
        onReport: (report) => reports.push({ process: name as string, cleared: report.cleared }),
      });
    });
    await new Promise((r) => setTimeout(r, 3500));
    await Promise.all(jobs.map((job) => job.stop()));
    await Promise.all([a.kv.close(), b.kv.close()]);

    const slots = reports.length;
    expect(slots).toBeGreaterThanOrEqual(2);
    expect(slots).toBeLessThanOrEqual(4); // one run per one-second slot, never one per process
    expect(reports.reduce((n, r) => n + r.cleared, 0)).toBe(6);
    const check = await open("redis", namespace);
    const h = await createHarness({ kv: check.kv, coordination: check.coordination, now: () => clock.now });
    expect(await h.command("active", "/memory show")).toContain("Turns stored: 1");
    for (let i = 0; i < 6; i++)
      expect(await h.command(`idle-${i}`, "/memory show")).toContain("Turns stored: 0");
    await check.kv.close();
  });
});

/** One sweep with IDLE_ACTION=summarize, folding through the harness's summary model. */
const summarizeAt = (h: TestHarness, coordination: Coordination, clock: number) =>
  sweepIdle({
    activity: coordination.activity,
    store: h.store,
    exclusive: h.bot.exclusive,
    idleTtlMs: 24 * HOUR,
    action: "summarize",
    fold: (channel, session) =>
      foldIntoSummary(
        {
          channel,
          session,
          turns: h.store.reader(channel, session),
          store: h.store,
          countTokens: h.countTokens,
          query: "",
          windowTurns: 10,
          now: () => clock,
        },
        h.summarizer,
        { maxPromptTokens: 3000, retrievalK: 8, summaryTriggerTokens: 1000 },
      ),
    now: () => clock,
    logger: silent,
  });

describe("IDLE_ACTION=summarize", () => {
  it("folds an idle channel's turns into its summary, which the next exchange's prompt carries in any mode", async () => {
    let clock = Date.UTC(2026, 0, 1);
    const { kv, coordination } = await open("memory", testNamespace("fold"));
    const h = await createHarness({ kv, coordination, now: () => clock });
    await h.say("ops", "ann", "the deploy window is THURSDAY");
    await h.say("ops", "bob", "and the rollback owner is PRIYA");
    clock += 25 * HOUR;
    const report = await summarizeAt(h, coordination, clock);
    expect(report).toMatchObject({ cleared: 1, turnsDropped: 2 });
    expect(h.summarizer.requests).toHaveLength(1);
    expect(await h.command("ops", "/memory show")).toContain("Turns stored: 0");

    await h.say("ops", "cy", "when is the deploy?");
    const prompt = promptText(h.model.requests.at(-1)?.messages ?? []);
    expect(prompt).toContain("THURSDAY");
    expect(prompt).toContain("PRIYA");
    expect(prompt).not.toContain("the deploy window is THURSDAY"); // the summary, not the verbatim turn
  });

  it.each(["retrieval", "buffer", "summary", "summary-buffer"])(
    "in %s mode, the next prompt carries the summary of the turns it cleared",
    async (mode) => {
      let clock = Date.UTC(2026, 0, 1);
      const { kv, coordination } = await open("memory", testNamespace(`fold-${mode}`));
      const h = await createHarness({ kv, coordination, now: () => clock });
      await h.command("ops", `/memory mode ${mode}`);
      await h.say("ops", "ann", "the deploy window is THURSDAY");
      await h.say("ops", "bob", "and the rollback owner is PRIYA");
      clock += 25 * HOUR;
      expect(await summarizeAt(h, coordination, clock)).toMatchObject({ cleared: 1, turnsDropped: 2 });
      await h.say("ops", "cy", "who owns the rollback?");
      const prompt = promptText(h.model.requests.at(-1)?.messages ?? []);
      expect(prompt).toContain("PRIYA");
      expect(prompt).not.toContain("and the rollback owner is PRIYA");
    },
  );

  it("keeps the turns when the summary call fails, for the next run", async () => {
    let clock = Date.UTC(2026, 0, 1);
    const { kv, coordination } = await open("memory", testNamespace("fold"));
    const h = await createHarness({ kv, coordination, now: () => clock });
    await h.say("ops", "ann", "the code is KESTREL");
    clock += 25 * HOUR;
    h.summarizer.failNext(1);
    const report = await summarizeAt(h, coordination, clock);
    expect(report).toMatchObject({ cleared: 0, failed: 1 });
    expect(await h.command("ops", "/memory show")).toContain("Turns stored: 1");
  });
});
