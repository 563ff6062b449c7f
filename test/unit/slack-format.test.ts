import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { markdownToSlack, neutraliseMentions, plainToSlack } from "../../src/adapters/slack/format.js";

/** Anything in the text Slack would turn into a notification. */
const PING = /<!|<@|(^|[^\w@])@(here|channel|everyone)\b/i;

describe("Slack formatting", () => {
  it("converts Markdown to mrkdwn: bold, links, headings, code", () => {
    const out = markdownToSlack(
      "# Plan\n\n**Bold** and [docs](https://example.com)\n\n```ts\nconst a = 1;\n```",
    );
    expect(out).toContain("*Plan*");
    expect(out).toMatch(/\*Bold\*/);
    expect(out).toContain("docs (<https://example.com>)");
    expect(out).toContain("```\nconst a = 1;\n```");
  });

  it("turns broadcasts, user groups and user mentions into plain text", () => {
    const out = neutraliseMentions(
      "<!channel> <!here|here> <!everyone> <!subteam^S1|@devs> <@U1> <@U2|bob> @here",
    );
    expect(out).not.toMatch(PING);
    expect(out).toContain("bob");
    expect(out).toContain("devs");
  });

  it("keeps links, channel links and e-mail addresses", () => {
    const out = neutraliseMentions(
      "<https://a.example/x?y=1|https://a.example/x?y=1> <mailto:me@here.com|me@here.com> <#C123|general>",
    );
    expect(out).toBe("<https://a.example/x?y=1> <mailto:me@here.com|me@here.com> <#C123|general>");
  });

  it("shows a masked link's label and its real target, so text can never point elsewhere", () => {
    // What a model (or a user echoed back) writes, and what slackify makes of it: <https://evil|https://bank>.
    const spoof = markdownToSlack("Log in at [https://bank.example/login](https://evil.example/phish)");
    expect(spoof).toBe("Log in at https://bank.example/login (<https://evil.example/phish>)");
    // Every clickable link shows exactly where it goes: no `<target|other text>` is left.
    expect(spoof).not.toMatch(/<https?:[^>|]*\|/);
    expect(markdownToSlack("[the docs](https://docs.example/a)")).toBe("the docs (<https://docs.example/a>)");
    expect(markdownToSlack("[write to us](mailto:help@example.com)")).toBe(
      "write to us (<mailto:help@example.com|help@example.com>)",
    );
    // A label that is its own address (a bare URL, with or without the scheme) stays one link.
    expect(markdownToSlack("see https://example.com/x")).toBe("see <https://example.com/x>");
    expect(markdownToSlack("[example.com](https://example.com/)")).toBe("<https://example.com/>");
  });

  it("escapes command answers and echoes no pings", () => {
    expect(plainToSlack('Unknown mode "<!channel>" & more')).toBe(
      'Unknown mode "&lt;!channel&gt;" &amp; more',
    );
  });

  it("never lets a ping through, whatever the model writes", () => {
    const pieces = fc.constantFrom(
      "<!channel>",
      "<!here>",
      "<@U1>",
      "@here",
      "@channel",
      "<",
      ">",
      "!",
      "@",
      " ",
      "a",
      "|",
      "\n",
      "**",
      "`",
      "[x](",
      ")",
    );
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 30 }), (parts) => {
        const text = parts.join("");
        expect(markdownToSlack(text)).not.toMatch(PING);
        expect(plainToSlack(text)).not.toMatch(PING);
      }),
      { numRuns: 300 },
    );
  });
});
