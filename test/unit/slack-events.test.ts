import { describe, expect, it } from "vitest";
import { readMessagePayload } from "../../src/adapters/slack/message-payload.js";
import { toCommandEvent, toMessageEvent } from "../../src/adapters/slack/to-chat-event.js";
import { appMention, message, slashCommand } from "../fakes/slack/payloads.js";

const ctx = { team: "T1", botUserId: "U0BOT", freeChannels: ["C0FREE"], adminUsers: undefined };
const read = (raw: object) => {
  const payload = readMessagePayload(raw);
  if (!payload) throw new Error("unreadable");
  return payload;
};

describe("Slack payloads to chat events", () => {
  it("strips the bot's mention, unescapes Slack's entities and keeps line breaks", () => {
    const event = toMessageEvent(
      read(appMention("T1", { text: "<@U0BOT> is 1 &lt; 2 &amp;&amp;\nok?" })),
      ctx,
      "ann",
    );
    expect(event?.text).toBe("is 1 < 2 &&\nok?");
    expect(event?.addressed).toBe(true);
    expect(event?.user).toEqual({ id: "U0ANN", name: "ann", isBot: false });
  });

  it("gives a mention and its message twin the same id, and thread ids by where the answer goes", () => {
    const mention = appMention("T1", { text: "<@U0BOT> hi" });
    const twin = message("T1", { text: mention.text, ts: mention.ts });
    const a = toMessageEvent(read(mention), ctx, "ann");
    const b = toMessageEvent(read(twin), ctx, "ann");
    expect(a?.id).toBe(b?.id);
    expect(b?.addressed).toBe(true);
    // A channel message is in no thread; an answer in a thread would start one at its ts.
    expect(a?.thread).toBeUndefined();
    expect(a?.threadRoot).toBe(mention.ts);
    const inThread = toMessageEvent(read(message("T1", { text: "x", thread_ts: "1.5" })), ctx, "ann");
    expect(inThread?.thread).toBe("1.5");
    expect(inThread?.threadRoot).toBeUndefined();
    const dm = toMessageEvent(
      read(message("T1", { channel: "D1", channel_type: "im", text: "x" })),
      ctx,
      "ann",
    );
    expect(dm?.thread).toBeUndefined();
    expect(dm?.threadRoot).toBeUndefined();
    expect(dm?.addressed).toBe(true);
  });

  it("marks direct messages and DM slash commands as direct, for ALLOW_DMS", () => {
    const dm = toMessageEvent(
      read(message("T1", { channel: "D1", channel_type: "im", text: "x" })),
      ctx,
      "a",
    );
    expect(dm?.isDirect).toBe(true);
    expect(toMessageEvent(read(message("T1", { text: "x" })), ctx, "a")?.isDirect).toBe(false);
    expect(toCommandEvent(slashCommand("T1", "show", "http://x", "U0ANN", "D0ANN"), ctx).isDirect).toBe(true);
    expect(toCommandEvent(slashCommand("T1", "show", "http://x"), ctx).isDirect).toBe(false);
  });

  it("passes a file shared without text on with empty text, which the core never sends to the model", () => {
    const shared = message("T1", { channel: "C0FREE", subtype: "file_share", text: "" });
    expect(toMessageEvent(read(shared), ctx, "a")?.text).toBe("");
  });

  it("addresses free channels and leaves other chatter unaddressed", () => {
    expect(toMessageEvent(read(message("T1", { channel: "C0FREE", text: "x" })), ctx, "a")?.addressed).toBe(
      true,
    );
    expect(toMessageEvent(read(message("T1", { text: "x" })), ctx, "a")?.addressed).toBe(false);
  });

  it("drops bots, its own posts, edits and junk", () => {
    expect(toMessageEvent(read(message("T1", { text: "x", bot_id: "B1" })), ctx, "a")).toBeUndefined();
    expect(toMessageEvent(read(message("T1", { text: "x", user: "U0BOT" })), ctx, "a")).toBeUndefined();
    expect(
      toMessageEvent(read(message("T1", { text: "x", subtype: "channel_join" })), ctx, "a"),
    ).toBeUndefined();
    expect(readMessagePayload({ type: "message", text: 5 })).toBeUndefined();
    expect(readMessagePayload(null)).toBeUndefined();
  });

  it("marks workspace admins and owners as admins, SLACK_ADMIN_USERS besides them, and nobody else", () => {
    const command = slashCommand("T1", "reset", "http://x", "U0ANN");
    expect(toCommandEvent(command, ctx).isAdmin).toBe(false);
    expect(toCommandEvent(command, ctx, true).isAdmin).toBe(true);
    expect(toCommandEvent(command, { ...ctx, adminUsers: ["U0BOB"] }).isAdmin).toBe(false);
    expect(toCommandEvent(command, { ...ctx, adminUsers: ["U0BOB"] }, true).isAdmin).toBe(true);
    expect(toCommandEvent(command, { ...ctx, adminUsers: ["U0ANN"] }).isAdmin).toBe(true);
    // In a DM the user owns the conversation.
    const dm = slashCommand("T1", "reset", "http://x", "U0ANN", "D0ANN");
    expect(toCommandEvent(dm, ctx).isAdmin).toBe(true);
    expect(toCommandEvent(command, ctx)).toMatchObject({
      kind: "command",
      channel: "C0GENERAL",
      text: "reset",
    });
  });
});
