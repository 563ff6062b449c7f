import { describe, expect, it } from "vitest";
import { createPinnedMemory } from "../../examples/pinned-facts/pinned-memory.js";
import { subcommandText } from "../../src/adapters/discord/interaction-event.js";
import {
  MAX_DESCRIPTION_CHARS,
  MAX_SUBCOMMANDS,
  memoryCommand,
  OVERFLOW_OPTION,
  OVERFLOW_SUBCOMMAND,
} from "../../src/adapters/discord/memory-command.js";
import { BUILTIN_COMMANDS, type CommandSpec, usageLine } from "../../src/core/command-table.js";
import { COMMAND_USAGE, parseMemoryCommand } from "../../src/core/commands.js";
import { commandTable, extensionCommand } from "../../src/core/extension-commands.js";
import { createMemoryRegistry } from "../../src/memory/registry.js";
import type { MemoryCommand } from "../../src/memory/types.js";

const cmd = (usage: string, adminOnly = false): MemoryCommand => ({
  usage,
  adminOnly,
  run: async () => "ok",
});
const knowledge = {
  learn: cmd("/memory learn <text>: teach this channel a fact (kept by /memory reset)", true),
  facts: cmd("/memory facts: list this channel's facts"),
  unlearn: cmd("/memory unlearn <id>: remove one of this channel's facts", true),
};
const table = () =>
  commandTable({
    knowledge,
    memories: createMemoryRegistry([createPinnedMemory]).list(),
  });

type Option = { name: string; type: number; description: string; required?: boolean; options?: Option[] };
const subcommands = (commands: readonly CommandSpec[]) =>
  (memoryCommand(["window", "buffer"], commands).options ?? []) as unknown as Option[];

/** A sample value for each argument, as a Discord user would fill the option in. */
const sample = (arg: CommandSpec["args"][number]) => {
  if (arg.kind === "count") return 3;
  if (arg.kind === "mode") return "window";
  if (arg.kind === "model") return "gpt-4o";
  if (arg.kind === "choice") return arg.choices?.[0] ?? "";
  return `some ${arg.name}`;
};

describe("the /memory command table", () => {
  it("is what the parser reads: every built-in verb parses to itself, with and without its arguments", () => {
    for (const spec of BUILTIN_COMMANDS) {
      const parsed = parseMemoryCommand(`/memory ${spec.verb}`);
      expect(parsed).toMatchObject({ ok: true, command: { name: spec.verb } });
    }
    expect(parseMemoryCommand("mode window 3")).toEqual({
      ok: true,
      command: { name: "mode", mode: "window", windowTurns: 3 },
    });
  });

  it("is what help and every parse error list", () => {
    for (const spec of BUILTIN_COMMANDS) expect(COMMAND_USAGE).toContain(usageLine(spec));
    expect(usageLine(BUILTIN_COMMANDS[2])).toBe(
      "/memory mode [mode] [window]: show the memory mode and the choices, or switch it (window: turns kept by window modes) (changing it: admins)",
    );
  });

  it("reads knowledge's and strategies' verbs from their usage lines, once each, built-ins first", () => {
    const verbs = table().map((c) => c.verb);
    expect(verbs).toEqual([
      ...BUILTIN_COMMANDS.map((c) => c.verb),
      "learn",
      "facts",
      "unlearn",
      "pin",
      "unpin",
    ]);
    expect(extensionCommand("learn", knowledge.learn)).toEqual({
      verb: "learn",
      args: [{ name: "text", kind: "text", required: true, description: "text" }],
      summary: "teach this channel a fact (kept by /memory reset)",
      admin: "admins",
      source: "extension",
    });
    expect(extensionCommand("x", cmd("/memory x [a b] <c>: two")).args).toEqual([
      { name: "a-b", kind: "text", required: false, description: "a b" },
      { name: "c", kind: "text", required: false, description: "c" },
    ]);
    // A usage line of another shape still gets one free-text argument, so the verb stays usable.
    expect(extensionCommand("odd", cmd("does odd things")).args).toMatchObject([
      { name: "text", required: false },
    ]);
    const dup = commandTable({
      knowledge: { pin: cmd("/memory pin <x>: k"), "Bad Verb": cmd("/memory bad") },
      memories: [],
    });
    expect(dup.filter((c) => c.verb === "pin")).toHaveLength(1);
    expect(dup.some((c) => c.verb === "Bad Verb")).toBe(false);
  });
});

describe("Discord's /memory definition from the table", () => {
  it("has one subcommand per verb within Discord's limits, and each maps back to the parser's text", () => {
    const commands = table();
    const subs = subcommands(commands);
    expect(subs.map((s) => s.name)).toEqual(commands.map((c) => c.verb));
    for (const sub of subs) {
      expect(sub.name).toMatch(/^[-_a-z0-9]{1,32}$/);
      expect(sub.description.length).toBeLessThanOrEqual(MAX_DESCRIPTION_CHARS);
      for (const option of sub.options ?? []) {
        expect(option.name).toMatch(/^[-_a-z0-9]{1,32}$/);
        expect(option.description.length).toBeLessThanOrEqual(MAX_DESCRIPTION_CHARS);
      }
    }
    // Every verb, filled in the way a user would, becomes text the parser reads as that verb.
    for (const spec of commands) {
      const values = new Map(spec.args.map((a) => [a.name, sample(a)]));
      const done = subcommandText(spec.verb, (name) => values.get(name), commands);
      if (!done.ok) throw new Error(done.error);
      const parsed = parseMemoryCommand(done.text);
      if (!parsed.ok) throw new Error(parsed.error);
      const verb = parsed.command.name === "extension" ? parsed.command.verb : parsed.command.name;
      expect(verb).toBe(spec.verb);
      if (spec.source === "extension" && spec.args.length > 0)
        expect(parsed.command).toMatchObject({ args: spec.args.map((a) => `some ${a.name}`).join(" ") });
    }
  });

  it("puts verbs past 25 behind one free-text subcommand, so none is unreachable", () => {
    const extra = Object.fromEntries(
      Array.from({ length: 30 }, (_, i) => [`verb${i}`, cmd(`/memory verb${i} <text>: number ${i}`)]),
    );
    const commands = commandTable({ knowledge: extra, memories: [] });
    const subs = subcommands(commands);
    expect(subs).toHaveLength(MAX_SUBCOMMANDS);
    const other = subs.at(-1);
    expect(other?.name).toBe(OVERFLOW_SUBCOMMAND);
    expect(other?.options?.map((o) => [o.name, o.required])).toEqual([[OVERFLOW_OPTION, true]]);
    const own = new Set(subs.map((s) => s.name));
    const hidden = commands.filter((c) => !own.has(c.verb));
    expect(hidden.length).toBe(commands.length - (MAX_SUBCOMMANDS - 1));
    for (const spec of hidden) {
      const done = subcommandText(OVERFLOW_SUBCOMMAND, () => `${spec.verb} hello`, commands);
      expect(done).toEqual({ ok: true, text: `${spec.verb} hello` });
      expect(parseMemoryCommand(`${spec.verb} hello`)).toMatchObject({
        ok: true,
        command: { verb: spec.verb },
      });
    }
  });

  it("refuses an argument given after a missing one, since the words would shift", () => {
    const done = subcommandText("mode", (name) => (name === "window" ? 3 : undefined));
    expect(done).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^Pick a mode to go with the window size/),
    });
  });

  it("offers a free mode string when there are more modes than Discord's 25 choices", () => {
    const many = Array.from({ length: 30 }, (_, i) => `mode-${i}`);
    const mode = ((memoryCommand(many).options ?? []) as unknown as Option[])
      .find((s) => s.name === "mode")
      ?.options?.find((o) => o.name === "mode") as (Option & { choices?: unknown[] }) | undefined;
    expect(mode?.choices ?? []).toEqual([]);
    const few = ((memoryCommand(["window"]).options ?? []) as unknown as Option[])
      .find((s) => s.name === "mode")
      ?.options?.find((o) => o.name === "mode") as (Option & { choices?: unknown[] }) | undefined;
    expect(few?.choices).toEqual([{ name: "window", value: "window" }]);
  });
});
