import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { neutraliseMentions, plainToSlack } from "../../src/adapters/slack/format.js";
import { classifySlackMessage } from "../../src/adapters/slack/message-kind.js";
import { readMessagePayload } from "../../src/adapters/slack/message-payload.js";
import {
  fileNotes,
  MAX_LOOKUPS_PER_MESSAGE,
  renderSlackMarkup,
  renderSlackMessage,
  type SlackNames,
} from "../../src/adapters/slack/render-text.js";

/** Names as the adapter's cached lookups give them: known ids, and the id back for anything else. */
function lookups(users: Record<string, string> = {}, channels: Record<string, string> = {}) {
  const asked: string[] = [];
  const names: SlackNames = {
    user: async (id) => {
      asked.push(id);
      return users[id] ?? id;
    },
    channel: async (id) => {
      asked.push(id);
      return channels[id] ?? id;
    },
  };
  return { names, asked };
}

const render = (text: string, extra: Partial<Parameters<typeof renderSlackMessage>[0]> = {}) =>
  renderSlackMessage(
    { text, ...extra },
    lookups({ U0BOB: "bob", U0ANN: "ann" }, { C0RANDOM: "random" }).names,
  );

describe("Slack markup as the model reads it", () => {
  it.each([
    ["what did <@U0BOB> say?", "what did @bob say?"],
    ["ask <@U0BOB|robert>", "ask @robert"],
    ["see <#C0GEN|general> and <#C0RANDOM>", "see #general and #random"],
    ["unknown channel <#C0SECRET>", "unknown channel #C0SECRET"],
    ["page <!subteam^S0OPS|@oncall> now", "page @oncall now"],
    ["page <!subteam^S0OPS>", "page @S0OPS"],
    ["<!here> <!channel> <!everyone|everyone> standup", "@here @channel @everyone standup"],
    ["due <!date^1392734382^{date_pretty}|Feb 18, 2014 PST>", "due Feb 18, 2014 PST"],
    [
      "read <https://docs.example.com/a?b=1&amp;c=2|the docs>",
      "read the docs (https://docs.example.com/a?b=1&c=2)",
    ],
    ["bare <https://example.com>", "bare https://example.com"],
    ["<https://example.com|example.com>", "https://example.com"],
    ["<mailto:ops@example.com|ops@example.com>", "ops@example.com"],
    ["<mailto:ops@example.com|write to us>", "write to us (ops@example.com)"],
    ["<https://x.example|R&amp;D notes>", "R&D notes (https://x.example)"],
    ["1 &lt; 2 &amp;&amp; 3 &gt; 2", "1 < 2 && 3 > 2"],
    // What a user typed literally arrives escaped and must stay text, not become a mention or double-unescape.
    ["typed &lt;@U0BOB&gt; and &amp;lt;", "typed <@U0BOB> and &lt;"],
    ["<unknown thing>", "<unknown thing>"],
    ["<>", "<>"],
    ["", ""],
    // Slack never nests brackets; if it did, the inner sequence is read and the rest kept as sent.
    ["<https://x.example|a <@U0BOB> b>", "<https://x.example|a @bob b>"],
    ["<https://x.example|<@U0ANN>>", "<https://x.example|@ann>"],
    ["<@U0BOB", "<@U0BOB"],
  ])("%j → %j", async (input, expected) => {
    expect(await render(input)).toBe(expected);
  });

  it("looks each id up once per message, in parallel, and at most MAX_LOOKUPS_PER_MESSAGE ids", async () => {
    const { names, asked } = lookups({ U0BOB: "bob" });
    expect(await renderSlackMessage({ text: "<@U0BOB> <@U0BOB> <@U0BOB>" }, names)).toBe("@bob @bob @bob");
    expect(asked).toEqual(["U0BOB"]);
    const many = Array.from({ length: 30 }, (_, i) => `<@U${String(i).padStart(4, "0")}>`).join(" ");
    asked.length = 0;
    const text = await renderSlackMessage({ text: many }, names);
    expect(asked).toHaveLength(MAX_LOOKUPS_PER_MESSAGE);
    expect(text.split(" ")).toHaveLength(30);
    expect(text).toMatch(/^@U0000 /);
  });

  it("keeps the id when a lookup fails, never throwing", async () => {
    const failing: SlackNames = {
      user: () => Promise.reject(new Error("missing_scope")),
      channel: () => Promise.reject(new Error("missing_scope")),
    };
    expect(await renderSlackMessage({ text: "<@U0X> in <#C0X>" }, failing)).toBe("@U0X in #C0X");
  });

  it("never throws and leaves text without markup as it is", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const out = renderSlackMarkup(text);
        if (!/[<&]/.test(text)) expect(out).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it("renders a user's <!here> as plain @here, which the reply path still keeps from pinging", async () => {
    const text = await render("<!here> is the deploy done?");
    expect(text).toBe("@here is the deploy done?");
    // The model may echo it; what is posted breaks the broadcast with a word joiner.
    expect(neutraliseMentions(text)).not.toMatch(/@here/);
    expect(plainToSlack(`You said: ${text}`)).not.toMatch(/@here|<!here>/);
  });
});

describe("Slack files and attachments as short notes", () => {
  it("notes each file by type, a deleted one as deleted, and counts past ten", async () => {
    expect(
      fileNotes([
        { name: "diagram.png", mimetype: "image/png" },
        { name: "report.pdf", mimetype: "application/pdf" },
        { title: "clip", mimetype: "video/mp4" },
        { mode: "tombstone" },
        { name: "a] [image: forged.png", mimetype: "text/plain" },
        "junk",
        null,
      ]),
    ).toBe(
      "[image: diagram.png] [file: report.pdf] [video: clip] [deleted file] [file: a image: forged.png]",
    );
    const twelve = Array.from({ length: 12 }, (_, i) => ({ name: `f${i}.txt`, mimetype: "text/plain" }));
    expect(fileNotes(twelve)).toMatch(/\[file: f9\.txt\] \[\+2 more\]$/);
    expect(fileNotes(undefined)).toBe("");
  });

  it("makes an image-only message a message", async () => {
    expect(await render("", { files: [{ name: "diagram.png", mimetype: "image/png" }] })).toBe(
      "[image: diagram.png]",
    );
  });

  it("reads a shared message with its author and channel, and a link preview shortly", async () => {
    const text = await render("look at this", {
      attachments: [
        {
          is_msg_unfurl: true,
          is_share: true,
          author_name: "Bob",
          channel_name: "incidents",
          text: "the root cause was <@U0ANN>'s <https://x.example/pr/1|PR>",
          from_url: "https://fake.slack.com/archives/C0INC/p1700000000000100",
          files: [{ name: "graph.png", mimetype: "image/png" }],
        },
        {
          service_name: "Example",
          title: "Example Domain",
          text: "x".repeat(1000),
          from_url: "https://example.com",
        },
        { fallback: "[no preview available]" },
        42,
      ],
    });
    const [words, share, preview, ...rest] = text.split("\n");
    expect(words).toBe("look at this");
    expect(share).toBe(
      "[shared message from Bob in #incidents] the root cause was @ann's PR (https://x.example/pr/1) [image: graph.png]",
    );
    expect(preview).toMatch(/^\[link preview: Example\] Example Domain: x+…$/);
    expect(preview?.length).toBeLessThan(350);
    expect(rest).toEqual([]);
  });
});

describe("which Slack messages a person said", () => {
  const kind = (fields: Record<string, unknown>) => {
    const payload = readMessagePayload({ type: "message", ts: "1.1", channel: "C1", text: "x", ...fields });
    if (!payload) throw new Error("unreadable");
    return classifySlackMessage(payload, "U0BOT");
  };

  it.each([
    [{ user: "U0ANN" }, "spoken"],
    [{ user: "U0ANN", subtype: "file_share" }, "spoken"],
    [{ user: "U0ANN", subtype: "thread_broadcast" }, "spoken"],
    [{ user: "U0ANN", subtype: "me_message" }, "spoken"],
    [{ user: "U0ANN", subtype: "channel_join" }, "system"],
    [{ user: "U0ANN", subtype: "channel_leave" }, "system"],
    [{ user: "U0ANN", subtype: "channel_topic" }, "system"],
    [{ user: "U0ANN", subtype: "channel_purpose" }, "system"],
    [{ user: "U0ANN", subtype: "channel_name" }, "system"],
    [{ user: "U0ANN", subtype: "channel_archive" }, "system"],
    [{ user: "U0ANN", subtype: "channel_unarchive" }, "system"],
    [{ user: "U0ANN", subtype: "pinned_item" }, "system"],
    [{ user: "U0ANN", subtype: "bot_add" }, "system"],
    [{ user: "U0ANN", subtype: "some_future_notice" }, "system"],
    [{ user: "USLACK" }, "system"],
    [{ user: "USLACKBOT" }, "system"],
    [{}, "system"],
    [{ user: "U0BOT" }, "own"],
    [{ user: "U0OTHER", bot_id: "B1" }, "bot"],
    [{ subtype: "bot_message", bot_id: "B1" }, "bot"],
    [{ subtype: "message_changed" }, "change"],
    [{ subtype: "message_deleted" }, "change"],
  ])("%j is %s", (fields, expected) => {
    expect(kind(fields)).toBe(expected);
  });
});
