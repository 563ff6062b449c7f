import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { COMMAND_USAGE, parseMemoryCommand } from "../../src/core/commands.js";

describe("/memory command parser", () => {
  it.each([
    ["/memory reset", { name: "reset" }],
    ["reset", { name: "reset" }],
    ["  /memory   SHOW ", { name: "show" }],
    ["/memory stats", { name: "stats" }],
    ["/memory", { name: "help" }],
    ["/memory mode", { name: "mode" }],
    ["/memory mode buffer", { name: "mode", mode: "buffer" }],
    ["/memory mode window 6", { name: "mode", mode: "window", windowTurns: 6 }],
    ["mode Window 1000", { name: "mode", mode: "window", windowTurns: 1000 }],
  ])("parses %j", (input, command) => {
    expect(parseMemoryCommand(input)).toEqual({ ok: true, command });
  });

  it.each([
    ["/memory reset now", "takes no arguments"],
    ["/memory mode window 0", "whole number from 1 to 1000"],
    ["/memory mode window -3", "whole number from 1 to 1000"],
    ["/memory mode window 2.5", "whole number from 1 to 1000"],
    ["/memory mode window 1001", "whole number from 1 to 1000"],
    ["/memory mode window six", "whole number from 1 to 1000"],
    ["/memory mode window 6 7", "takes at most 2 arguments: [mode] [window]"],
    ["/memory mode @everyone", "is not a mode name"],
  ])("rejects %j with a clear reason and the valid forms", (input, reason) => {
    const result = parseMemoryCommand(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toContain(reason);
      expect(result.error).toContain(COMMAND_USAGE);
    }
  });

  it("never throws, and either parses or explains, for any input", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (input) => {
        const result = parseMemoryCommand(input);
        if (!result.ok) expect(result.error).toContain("Valid forms:");
      }),
      { numRuns: 500 },
    );
  });

  it("keeps error messages short even for huge input", () => {
    const result = parseMemoryCommand(`/memory ${"x".repeat(100_000)}`);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.length).toBeLessThan(1000);
  });
});
