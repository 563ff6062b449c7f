import pino from "pino";
import { describe, expect, it } from "vitest";
import type { OutgoingReply } from "../../src/core/bot.js";
import { channelKey } from "../../src/core/channel-key.js";
import type { ChatEvent, DeleteEvent, EditEvent } from "../../src/core/events.js";
import { EDITED_NOTE } from "../../src/core/prompt.js";
import { SUMMARY_LOST_NOTICE } from "../../src/core/turn-removal.js";
import { sweepIdle } from "../../src/jobs/sweep.js";
import { foldIntoSummary } from "../../src/memory/summary/fold.js";
import { readSummary } from "../../src/memory/summary/state.js";
import { createMetrics } from "../../src/metrics/metrics.js";
import { createLocalCoordination } from "../../src/store/local-coordination.js";
import { createHarness, memoryText, promptText } from "../helpers/harness.js";
import { mapKv } from "../helpers/map-kv.js";

const HOUR = 3_600_000;
const KEY = channelKey({ platform: "console", workspace: "w1", channel: "c" });
const base = { platform: "console", workspace: "w1", channel: "c", isAdmin: false } as const;
const person = (id: string) => ({ id, name: id, isBot: false });
let n = 0;
const edit = (messageId: string, text: string, user = "ann"): EditEvent => ({
  ...base,
  kind: "edit",
  id: `edit-${n++}`,
  user: person(user),
  messageId,
  text,
  editedAt: Date.now(),
});
const deletion = (messageIds: string[], extra: Partial<DeleteEvent> = {}): DeleteEvent => ({
  ...base,
  kind: "delete",
  id: `delete-${n++}`,
  user: person("unknown"),
  messageIds,
  ...extra,
});
const as = (user: string, messageId: string, extra: Partial<ChatEvent> = {}) =>
  ({ user: person(user), messageId, ...extra }) as Partial<ChatEvent>;

type H = Awaited<ReturnType<typeof createHarness>>;
async function send(h: H, event: ChatEvent) {
  const posted: OutgoingReply[] = [];
  const outcome = await h.bot.handle(event, { send: async (r) => void posted.push(r) });
  return { outcome, posted };
}
const lastPrompt = (h: H) => promptText(h.model.requests.at(-1)?.messages ?? []);

describe("edits", () => {
  it("replace the stored text, mark the answer as given to the earlier version, and are not answered", async () => {
    const kv = mapKv();
    const h = await createHarness({ kv });
    await h.say("c", "ann", "my locker number is 118", as("ann", "m1"));
    const calls = h.model.requests.length;
    expect((await send(h, edit("m1", "my locker number is 231"))).outcome).toBe("edited");
    expect(h.model.requests).toHaveLength(calls);
    expect(kv.dump()).not.toContain("118");
    await h.say("c", "bob", "what is ann's locker?", as("bob", "m2"));
    expect(lastPrompt(h)).toContain(`ann: my locker number is 231 ${EDITED_NOTE}`);
    // The tokens were counted again: the prompt's stored figure matches the new text.
    const session = await h.store.load(KEY);
    const [turn] = await h.store.reader(KEY, session).range(session.first, session.first + 1);
    expect(turn?.tokens).toBe(
      h.countTokens(`ann: my locker number is 231 ${EDITED_NOTE}`) + 4 + h.countTokens(turn?.reply ?? "") + 4,
    );
  });

  it("of a message never stored, or to the same text, change nothing and are counted as ignored", async () => {
    const metrics = createMetrics();
    const h = await createHarness({ kv: mapKv(), deps: { observer: metrics.observer } });
    await h.say("c", "ann", "hello", as("ann", "m1"));
    const before = await h.store.load(KEY);
    expect((await send(h, edit("never-stored", "now it mentions the bot"))).outcome).toBe("ignored");
    expect((await send(h, edit("m1", "hello"))).outcome).toBe("ignored");
    expect(await h.store.load(KEY)).toEqual(before);
    expect((await send(h, edit("m1", "hello there"))).outcome).toBe("edited");
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/cmb_events_ignored_total\{platform="console",reason="edit-not-stored"\} 1/);
    expect(text).toMatch(/cmb_events_ignored_total\{platform="console",reason="edit-unchanged"\} 1/);
    expect(text).toMatch(/cmb_events_total\{platform="console",outcome="edited"\} 1/);
  });
});

describe("deletions", () => {
  it("remove the turn by anyone, one or in bulk; deleting the bot's answer keeps the question", async () => {
    const metrics = createMetrics();
    const kv = mapKv();
    const h = await createHarness({ kv, deps: { observer: metrics.observer } });
    await h.say("c", "ann", "the vault code is 4411", as("ann", "m1"));
    await h.say("c", "bob", "the door code is 9090", as("bob", "m2"));
    await h.say("c", "cy", "the bike lock is 1234", as("cy", "m3"));
    await h.say("c", "dee", "which codes do you know?", as("dee", "m4"));
    expect((await send(h, deletion(["m1"]))).outcome).toBe("deleted");
    expect((await send(h, deletion(["m2", "m3", "gone-elsewhere"]))).outcome).toBe("deleted");
    expect((await send(h, deletion([], { answersTo: ["m4"] }))).outcome).toBe("deleted");
    expect((await send(h, deletion(["m1"]))).outcome).toBe("ignored");
    expect(kv.dump()).not.toMatch(/\b(4411|9090|1234)\b/);
    await h.say("c", "ann", "and now?", as("ann", "m5"));
    const messages = h.model.requests.at(-1)?.messages ?? [];
    expect(messages.map((m) => m.content)).toEqual([
      "You are a test bot.",
      "dee: which codes do you know?",
      "ann: and now?",
    ]);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/cmb_events_total\{platform="console",outcome="deleted"\} 3/);
    expect(text).toMatch(/cmb_events_ignored_total\{platform="console",reason="delete-not-stored"\} 1/);
  });

  it("of a thread take its turns from a channel's memory, and all of a thread's own memory", async () => {
    const h = await createHarness({ kv: mapKv() });
    await h.say("c", "ann", "in thread T: the pin is 5150", as("ann", "t1", { thread: "T" }));
    await h.say("c", "bob", "in thread T: agreed", as("bob", "t2", { thread: "T" }));
    await h.say("c", "cy", "elsewhere: lunch at one", as("cy", "u1", { thread: "U" }));
    expect((await send(h, deletion([], { thread: "T", wholeThread: true }))).outcome).toBe("deleted");
    await h.say("c", "cy", "what was said?", as("cy", "u2", { thread: "U" }));
    expect(lastPrompt(h)).not.toContain("thread T");
    expect(lastPrompt(h)).toContain("lunch at one");

    const perThread = await createHarness({ kv: mapKv(), settings: { scope: "thread" } });
    await perThread.say("c", "ann", "the pin is 5150", as("ann", "t1", { thread: "T" }));
    expect((await send(perThread, deletion([], { thread: "T", wholeThread: true }))).outcome).toBe("deleted");
    const key = channelKey({ ...base, thread: "T" }, "thread");
    const session = await perThread.store.load(key);
    expect(session.next - session.first).toBe(0);
  });
});

/** A channel in summary mode whose oldest turns are summarized; one of them holds SECRETWORD. */
async function summarized(h: H, count: number) {
  for (let i = 0; i < count; i++) {
    const fact = i === 1 ? "SECRETWORD" : `FACT${i}`;
    await h.say(
      "c",
      i % 2 ? "bob" : "ann",
      `note ${i}: remember ${fact} please`,
      as(i % 2 ? "bob" : "ann", `m${i}`),
    );
  }
}

describe("summaries", () => {
  const summaryHarness = (extra: Partial<Parameters<typeof createHarness>[0]> = {}) =>
    createHarness({
      kv: mapKv(),
      settings: { defaultMode: "summary", maxPromptTokens: 1200 },
      memorySettings: { summaryTriggerTokens: 120 },
      ...extra,
    });

  it("a summary that held a deleted message is rebuilt from the remaining turns without it", async () => {
    const h = await summaryHarness();
    await summarized(h, 12);
    expect(readSummary(await h.store.load(KEY)).text).toContain("SECRETWORD");
    const calls = h.summarizer.requests.length;
    expect((await send(h, deletion(["m1"]))).outcome).toBe("deleted");
    // Rebuilt at once, from what is left: the new summary request no longer has the words.
    expect(h.summarizer.requests.length).toBeGreaterThan(calls);
    expect(promptText(h.summarizer.requests.at(-1)?.messages ?? [])).not.toContain("SECRETWORD");
    const summary = readSummary(await h.store.load(KEY));
    expect(summary.text).toContain("FACT0");
    expect(summary.text).not.toContain("SECRETWORD");
    await h.say("c", "ann", "what do you know?", as("ann", "q"));
    expect(lastPrompt(h)).not.toContain("SECRETWORD");
    expect(lastPrompt(h)).toContain("FACT0");
  });

  it("a summary that holds none of the deleted turns stays, with no summary call", async () => {
    // summary-buffer keeps the newest turns verbatim: those are what the summary does not hold.
    const h = await summaryHarness({ settings: { defaultMode: "summary-buffer", maxPromptTokens: 600 } });
    await summarized(h, 16);
    const before = readSummary(await h.store.load(KEY));
    const session = await h.store.load(KEY);
    expect(before.text).toContain("SECRETWORD");
    expect(before.through).toBeGreaterThan(session.first);
    const pending = await h.store.reader(KEY, session).range(before.through, session.next);
    const newest = pending.at(-1)?.messageId ?? "";
    expect(newest).not.toBe("");
    const calls = h.summarizer.requests.length;
    expect((await send(h, deletion([newest]))).outcome).toBe("deleted");
    expect(h.summarizer.requests).toHaveLength(calls);
    const after = await h.store.load(KEY);
    expect(readSummary(after).text).toBe(before.text);
    await h.say("c", "ann", "what do you know?", as("ann", "q"));
    const messages = h.model.requests.at(-1)?.messages ?? [];
    expect(memoryText(messages)).toContain(before.text);
    // The pending turns left follow the summary once each: its cursor moved with the renumbered log.
    const replayed = messages.filter((m) => m.role === "user").map((m) => m.content);
    expect(new Set(replayed).size).toBe(replayed.length);
    expect(replayed.length - 2).toBe(pending.length - 1);
  });

  it("after IDLE_ACTION=summarize, deleting or forgetting words it holds drops the summary and tells the channel once", async () => {
    let clock = Date.UTC(2026, 0, 1);
    const kv = mapKv();
    const coordination = createLocalCoordination(kv);
    const h = await createHarness({ kv, coordination, now: () => clock });
    const sweep = () =>
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
        logger: pino({ level: "silent" }),
      });
    await h.say("c", "ann", "the alarm code is MAGPIE", as("ann", "a1"));
    await h.say("c", "bob", "the meeting room is ROOK", as("bob", "b1"));
    clock += 25 * HOUR;
    expect(await sweep()).toMatchObject({ cleared: 1 });
    await h.say("c", "cy", "hello again", as("cy", "c1"));
    expect(lastPrompt(h)).toContain("MAGPIE");

    // A message the summary does not hold: the summary stays.
    expect((await send(h, deletion(["c1"]))).outcome).toBe("deleted");
    expect(readSummary(await h.store.load(KEY)).text).toContain("MAGPIE");
    // Ann's message, gone from the store but folded into the summary.
    const gone = await send(h, deletion(["a1"]));
    expect(gone.outcome).toBe("deleted");
    expect(gone.posted).toEqual([{ text: SUMMARY_LOST_NOTICE, ephemeral: false, kind: "notice" }]);
    expect(kv.dump()).not.toContain("MAGPIE");
    expect((await send(h, deletion(["a1"]))).outcome).toBe("ignored");
    await h.say("c", "cy", "what is the alarm code?", as("cy", "c2"));
    expect(lastPrompt(h)).not.toContain("MAGPIE");

    // forget-me after another sweep: the answer says the summary went, the channel is told.
    await h.say("c", "bob", "the parking spot is PLOVER", as("bob", "b2"));
    clock += 25 * HOUR;
    expect(await sweep()).toMatchObject({ cleared: 1 });
    const before = h.replies.length;
    await h.command("c", "/memory forget-me", { user: person("bob"), isAdmin: false });
    expect(h.replies.slice(before).map((r) => [r.text, r.ephemeral])).toEqual([
      [
        "Your messages were no longer stored one by one, but the channel summary included them: I dropped that summary.",
        true,
      ],
      [SUMMARY_LOST_NOTICE, false],
    ]);
    expect(kv.dump()).not.toContain("PLOVER");
  });

  it("forget-me says what it removed, including the summary that held it", async () => {
    const h = await summaryHarness();
    await summarized(h, 12);
    const answer = await h.command("c", "/memory forget-me", { user: person("bob"), isAdmin: false });
    expect(answer).toBe(
      "Forgot 6 of your messages in this channel (and my answers to them). The channel summary that included them was dropped and is rebuilt from what others said.",
    );
    expect(readSummary(await h.store.load(KEY)).text).not.toContain("SECRETWORD");
  });
});
