import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { splitMessage } from "../../src/adapters/shared/split-message.js";
import { markdownToSlack, plainToSlack, SLACK_TEXT_LIMIT } from "../../src/adapters/slack/format.js";
import { COMMAND_USAGE, parseMemoryCommand } from "../../src/core/commands.js";

/** Whether a piece leaves no code block open, read the way CommonMark reads fences. */
function fencesClosed(text: string): boolean {
  let open: { char: string; length: number } | undefined;
  for (const line of text.split("\n")) {
    const match = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line);
    if (!match) continue;
    const [, marker = "", info = ""] = match;
    if (!open) open = { char: marker[0] ?? "`", length: marker.length };
    else if (marker[0] === open.char && marker.length >= open.length && info.trim() === "") open = undefined;
  }
  return open === undefined;
}

/** Whether `joined` is `text` with only whitespace left out (pieces that were nothing but whitespace). */
function sameButWhitespace(joined: string, text: string): boolean {
  let j = 0;
  for (const ch of text) {
    if (joined.startsWith(ch, j)) j += ch.length;
    else if (!/\s/.test(ch)) return false;
  }
  return j === joined.length;
}

const answerParts = fc.array(
  fc.oneof(
    { weight: 4, arbitrary: fc.string({ maxLength: 120 }) },
    { weight: 2, arbitrary: fc.constantFrom("\n```js\n", "\n```\n", "\n~~~\n", "\n````\n", "\n\n", "\n") },
    { weight: 1, arbitrary: fc.constantFrom("word ".repeat(30), "x".repeat(90)) },
  ),
  { maxLength: 50 },
);

describe("reply splitter properties", () => {
  it("never exceeds the limit, and leaves no code block open in any piece, for any answer", () => {
    fc.assert(
      fc.property(answerParts, fc.integer({ min: 40, max: 600 }), (parts, limit) => {
        const text = parts.join("");
        const pieces = splitMessage(text, limit);
        for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(limit);
        if (fencesClosed(text)) for (const piece of pieces) expect(fencesClosed(piece)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it("loses and adds nothing but whitespace when there is no code block to close", () => {
    fc.assert(
      fc.property(answerParts, fc.integer({ min: 40, max: 600 }), (parts, limit) => {
        const text = parts.join("").replace(/[`~]/g, "'");
        expect(sameButWhitespace(splitMessage(text, limit).join(""), text)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it("holds at the real platform limits (Discord 2,000, Slack 3,500)", () => {
    fc.assert(
      fc.property(answerParts, fc.constantFrom(2000, SLACK_TEXT_LIMIT), (parts, limit) => {
        const text = parts.join("").repeat(8);
        for (const piece of splitMessage(text, limit)) {
          expect(piece.length).toBeLessThanOrEqual(limit);
          if (fencesClosed(text)) expect(fencesClosed(piece)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });
});

/** Anything Slack would turn into a notification: broadcasts, user groups, user mentions. */
const SLACK_PING = /<!(channel|here|everyone|subteam)|<@[UW]|@(here|channel|everyone)\b(?![.-]\w)/i;

describe("Slack mention neutraliser properties", () => {
  const hostile = fc.constantFrom(
    "<!channel>",
    "<!here>",
    "<!everyone>",
    "<!here|here>",
    "<!subteam^S123|@team>",
    "<@U0123>",
    "<@W0123|bob>",
    "@here",
    "@channel",
    "@everyone",
    "@Everyone",
    "<",
    "<<",
    ">",
    "!",
    "@",
    "&lt;",
    "&gt;",
    "|",
    "\n",
    "**",
    "`",
    "```",
    "[x](",
    ")",
    "http://a.b",
    "<http://a.b|x>",
    " ",
  );
  it("lets no ping through markdown or plain answers, whatever the model or a quoted user writes", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(hostile, fc.string({ maxLength: 6 })), { maxLength: 40 }), (parts) => {
        const text = parts.join("");
        expect(markdownToSlack(text)).not.toMatch(SLACK_PING);
        expect(plainToSlack(text)).not.toMatch(SLACK_PING);
      }),
      { numRuns: 2000 },
    );
  });

  it("stays safe after splitting: no piece joins two halves into a ping", () => {
    fc.assert(
      fc.property(fc.array(hostile, { maxLength: 200 }), (parts) => {
        for (const piece of splitMessage(markdownToSlack(parts.join("")) || "x", 40)) {
          expect(piece).not.toMatch(SLACK_PING);
        }
      }),
      { numRuns: 300 },
    );
  });
});

const VERBS = ["help", "reset", "show", "stats", "forget-me", "export"] as const;
const randomCase = (word: string) =>
  fc
    .array(fc.boolean(), { minLength: word.length, maxLength: word.length })
    .map((flags) => [...word].map((c, i) => (flags[i] ? c.toUpperCase() : c)).join(""));
const space = fc.constantFrom(" ", "  ", "\t", " \n ");

describe("/memory parser properties", () => {
  it("parses every built-in verb in any case and spacing, with or without /memory", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...VERBS).chain((verb) => fc.tuple(fc.constant(verb), randomCase(verb))),
        space,
        space,
        fc.boolean(),
        ([verb, typed], before, after, prefixed) => {
          const input = `${before}${prefixed ? `/memory${before}` : ""}${typed}${after}`;
          expect(parseMemoryCommand(input)).toEqual({ ok: true, command: { name: verb } });
        },
      ),
      { numRuns: 500 },
    );
  });

  it("accepts every window size from 1 to 1000 and refuses every other number", () => {
    fc.assert(
      fc.property(fc.integer({ min: -5000, max: 5000 }), (k) => {
        const parsed = parseMemoryCommand(`/memory mode window ${k}`);
        if (k >= 1 && k <= 1000)
          expect(parsed).toEqual({ ok: true, command: { name: "mode", mode: "window", windowTurns: k } });
        else expect(parsed.ok).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it("refuses arguments to verbs that take none, showing the valid forms", () => {
    fc.assert(
      fc.property(fc.constantFrom(...VERBS), fc.stringMatching(/^[a-z0-9@<>!]{1,20}$/), (verb, extra) => {
        const parsed = parseMemoryCommand(`/memory ${verb} ${extra}`);
        expect(parsed.ok).toBe(false);
        if (!parsed.ok) expect(parsed.error).toContain(COMMAND_USAGE);
      }),
      { numRuns: 300 },
    );
  });

  it("never throws and keeps every answer short, for any unicode input", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 300 }), (input) => {
        const parsed = parseMemoryCommand(input);
        if (!parsed.ok) expect(parsed.error.length).toBeLessThan(COMMAND_USAGE.length + 200);
        else if (parsed.command.name === "extension")
          expect(parsed.command.verb).toMatch(/^[a-z][a-z0-9-]{0,31}$/);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("what the properties found", () => {
  it("closes a ```` or ~~~ block with its own fence when splitting (``` would not close it)", () => {
    for (const marker of ["````", "~~~"]) {
      const pieces = splitMessage(`${marker}py\n${"word ".repeat(40)}\n${marker}\nafter`, 60);
      expect(pieces[0]?.endsWith(`\n${marker}`)).toBe(true);
      expect(pieces[1]?.startsWith(`${marker}py\n`)).toBe(true);
      for (const piece of pieces) expect(fencesClosed(piece)).toBe(true);
    }
  });

  it("still posts an answer slackify-markdown cannot convert (a URL with a stray %)", () => {
    // Shown as typed, escaped: `<!here>` is text, not a command.
    expect(markdownToSlack("see http://a.b% and <!here>")).toBe("see http://a.b% and &lt;!here&gt;");
  });

  it("breaks a broadcast glued to a word or to another @, keeping e-mail addresses", () => {
    expect(markdownToSlack("team@here @@channel me@here.com")).toBe(
      "team@\u2060here @@\u2060channel <mailto:me@here.com|me@here.com>",
    );
  });
});

describe("Slack neutraliser, a case fast-check found", () => {
  it("breaks a broadcast glued to the next word, so a split after it frees no ping", () => {
    const text = ["<@W0123|bob>", "@Everyone", "[x](", "@channel", "<http://a.b|x>"].join("");
    for (const piece of splitMessage(markdownToSlack(text), 40)) expect(piece).not.toMatch(SLACK_PING);
  });
});
