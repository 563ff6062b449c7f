import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { splitMessage } from "../../src/adapters/shared/split-message.js";

const fences = (piece: string) => piece.split("\n").filter((l) => /^\s*```/.test(l)).length;

describe("splitMessage", () => {
  it("keeps a short answer whole", () => {
    expect(splitMessage("hello there", 2000)).toEqual(["hello there"]);
  });

  it("splits at paragraph boundaries before line or word boundaries", () => {
    const a = "a".repeat(1200);
    const b = "b".repeat(1200);
    expect(splitMessage(`${a}\n\n${b}`, 2000)).toEqual([`${a}\n\n`, b]);
  });

  it("closes and reopens a code block cut in two, with its language", () => {
    const code = Array.from({ length: 200 }, (_, i) => `const line${i} = ${i};`).join("\n");
    const text = `Here you go:\n\n\`\`\`ts\n${code}\n\`\`\`\nDone.`;
    const pieces = splitMessage(text, 2000);
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(2000);
      expect(fences(piece) % 2).toBe(0);
    }
    expect(pieces[1]?.startsWith("```ts\n")).toBe(true);
  });

  it("never returns a piece over the limit and keeps every word, for any text", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string({ maxLength: 300 }),
            fc.constant("\n```js\n"),
            fc.constant("\n```\n"),
            fc.constant("\n\n"),
          ),
          { maxLength: 40 },
        ),
        fc.integer({ min: 40, max: 500 }),
        (parts, limit) => {
          const text = parts.join("");
          const pieces = splitMessage(text, limit);
          for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(limit);
          const words = (s: string) => s.replace(/```\w*/g, "").replace(/\s+/g, "");
          expect(words(pieces.join(""))).toBe(words(text));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("splitMessage with hostile fences", () => {
  it("terminates and stays under the limit when a fence line is longer than the limit", () => {
    const text = `\`\`\`${"x".repeat(500)}\n${"code ".repeat(200)}`;
    for (const piece of splitMessage(text, 100)) expect(piece.length).toBeLessThanOrEqual(100);
  });
});
