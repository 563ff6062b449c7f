import { afterEach, describe, expect, it } from "vitest";
import { EDITED_NOTE } from "../../src/core/prompt.js";
import { eventCallback, message, nextTs } from "../fakes/slack/payloads.js";
import {
  messageChanged,
  messageDeleted,
  parentTombstoned,
  recordedBotEdit,
  type Said,
} from "../fakes/slack/rewrite-payloads.js";
import { promptOf, type RigOptions, type SlackRig, startSlackRig } from "../helpers/slack-rig.js";
import { type StoreFixture, storeAvailable, storeFixture } from "../helpers/stores.js";

const CHANNEL = "C0GENERAL";

describe.each(["sqlite", "redis"] as const)(
  "Slack edits and deletions through the Bolt app on %s",
  (kind) => {
    let rig: SlackRig | undefined;
    let fixture: StoreFixture | undefined;
    afterEach(async () => {
      await rig?.stop();
      await fixture?.cleanup();
      rig = undefined;
    });
    const start = async (bot?: RigOptions["bot"]) => {
      fixture = storeFixture(kind);
      const r = await startSlackRig({ mode: "http", kv: await fixture.open(), ...(bot ? { bot } : {}) });
      rig = r;
      return r;
    };
    /** A mention the bot answers; returns the message as edits and deletions name it. */
    const mention = async (r: SlackRig, user: string, words: string, thread_ts?: string): Promise<Said> => {
      const ts = nextTs();
      const text = `<@${r.fake.botUserId}> ${words}`;
      await r.mention({ user, text, ts, ...(thread_ts ? { thread_ts } : {}) });
      expect(r.outcomes.at(-1)).toBe("answered");
      return { user, text, ts, ...(thread_ts ? { thread_ts } : {}) };
    };
    const post = async (r: SlackRig, event: object) => {
      const before = r.outcomes.length;
      expect(await r.postEvent(eventCallback(r.fake.team, r.fake.botUserId, event))).toBe(200);
      return r.outcomes.slice(before);
    };

    it.skipIf(!storeAvailable(kind))(
      "a deleted secret never reaches a later prompt; a retry changes nothing",
      async () => {
        const r = await start();
        const secret = await mention(r, "U0ANN", "the staging password is TANGERINE-42");
        await mention(r, "U0BOB", "the release is on Friday");
        const deleted = eventCallback(
          r.fake.team,
          r.fake.botUserId,
          messageDeleted(r.fake.team, CHANNEL, secret),
        );
        expect(await r.postEvent(deleted)).toBe(200);
        expect(r.outcomes.at(-1)).toBe("deleted");
        expect(await r.postEvent(deleted, { retryNum: 1 })).toBe(200);
        expect(r.outcomes.at(-1)).toBe("duplicate");
        await mention(r, "U0BOB", "what did ann tell you?");
        const prompt = promptOf(r.model, r.model.requests.length);
        expect(prompt).not.toContain("TANGERINE-42");
        expect(prompt).toContain("the release is on Friday");
      },
    );

    it.skipIf(!storeAvailable(kind))(
      "an edit is what the next prompt carries; the bot's own edits and unchanged text are ignored",
      async () => {
        const r = await start();
        const said = await mention(r, "U0ANN", "our office is in Lyon");
        const posts = r.fake.callsOf("chat.postMessage").length;
        expect(
          await post(r, recordedBotEdit(r.fake.team, r.fake.botUserId, r.fake.botId, CHANNEL).event),
        ).toEqual([]);
        // An unfurl: Slack sends message_changed with the text as it was.
        expect(await post(r, messageChanged(r.fake.team, CHANNEL, said, said.text))).toEqual([]);
        const edited = messageChanged(
          r.fake.team,
          CHANNEL,
          said,
          `<@${r.fake.botUserId}> our office is in Porto`,
        );
        expect(await post(r, edited)).toEqual(["edited"]);
        expect(r.fake.callsOf("chat.postMessage")).toHaveLength(posts);
        await mention(r, "U0BOB", "where is the office?");
        const prompt = promptOf(r.model, r.model.requests.length);
        expect(prompt).toContain(`ann: our office is in Porto ${EDITED_NOTE}`);
        expect(prompt).not.toContain("Lyon");
      },
    );

    it.skipIf(!storeAvailable(kind))(
      "an edit is read as a new message is: mentions and channel links as names, not raw ids",
      async () => {
        const r = await start();
        const said = await mention(r, "U0ANN", "the deploy is owned by someone");
        const edited = messageChanged(
          r.fake.team,
          CHANNEL,
          said,
          `<@${r.fake.botUserId}> the deploy is owned by <@U0BOB>, see <#C0RANDOM>`,
        );
        expect(await post(r, edited)).toEqual(["edited"]);
        await mention(r, "U0CID", "who owns the deploy?");
        const prompt = promptOf(r.model, r.model.requests.length);
        expect(prompt).toContain("ann: the deploy is owned by @bob, see #random");
        expect(prompt).not.toContain("<@U0BOB>");
      },
    );

    it.skipIf(!storeAvailable(kind))(
      "edits and deletions in a thread find their turn with memory per thread",
      async () => {
        const r = await start({ scope: "thread" });
        const parent = await mention(r, "U0ANN", "planning the offsite");
        const reply = await mention(r, "U0ANN", "budget is 4000 euros", parent.ts);
        const changed = messageChanged(
          r.fake.team,
          CHANNEL,
          reply,
          `<@${r.fake.botUserId}> budget is 5000 euros`,
        );
        expect(await post(r, changed)).toEqual(["edited"]);
        await mention(r, "U0BOB", "what is the budget?", parent.ts);
        expect(promptOf(r.model, r.model.requests.length)).toContain("budget is 5000 euros");
        const secret = await mention(r, "U0BOB", "the venue code is KESTREL", parent.ts);
        expect(await post(r, messageDeleted(r.fake.team, CHANNEL, secret))).toEqual(["deleted"]);
        await mention(r, "U0ANN", "anything else?", parent.ts);
        const prompt = promptOf(r.model, r.model.requests.length);
        expect(prompt).not.toContain("KESTREL");
        expect(prompt).toContain("planning the offsite");
      },
    );

    it.skipIf(!storeAvailable(kind))(
      "a parent deleted with replies (a tombstone) is forgotten, and the replies stay",
      async () => {
        const r = await start();
        const parent = await mention(r, "U0ANN", "the wifi password is OTTER-9");
        const reply = await mention(r, "U0BOB", "thanks, the printer is on floor 3", parent.ts);
        expect(await post(r, parentTombstoned(r.fake.team, CHANNEL, parent, [reply.ts]))).toEqual([
          "deleted",
        ]);
        await mention(r, "U0BOB", "what do you know?");
        const prompt = promptOf(r.model, r.model.requests.length);
        expect(prompt).not.toContain("OTTER-9");
        expect(prompt).toContain("the printer is on floor 3");
      },
    );

    it.skipIf(!storeAvailable(kind))("a deleted message that was never stored changes nothing", async () => {
      const r = await start();
      await mention(r, "U0ANN", "hello");
      const chatter: Said = { user: "U0BOB", text: "lunch?", ts: nextTs() };
      await post(r, message(r.fake.team, { user: chatter.user, text: chatter.text, ts: chatter.ts }));
      expect(await post(r, messageDeleted(r.fake.team, CHANNEL, chatter))).toEqual(["ignored"]);
    });
  },
);
