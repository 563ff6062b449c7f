import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createConsoleAdapter } from "../../src/adapters/console/index.js";
import { inputCutNote } from "../../src/core/input-limits.js";
import { createHarness } from "../helpers/harness.js";
import { storeFixture } from "../helpers/stores.js";

/** One run of the console on `lines`, as `npm start` with piped input does; resolves with its output. */
async function runConsole(bot: Parameters<typeof createConsoleAdapter>[0]["bot"], lines: string[]) {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = "";
  output.on("data", (d: Buffer) => {
    printed += d.toString();
  });
  const adapter = createConsoleAdapter({
    bot,
    input,
    output,
    channel: "general",
    user: "ann",
    interactive: false,
  });
  const done = adapter.run();
  input.end(`${lines.join("\n")}\n`);
  await done;
  return printed.trim().split("\n");
}

describe("console adapter", () => {
  it("answers every line of a second run in the same process within the redelivery window", async () => {
    const kv = await storeFixture("memory").open();
    // Dedup through the store, as the app wires it: ids are kept 10 minutes.
    const h = await createHarness({ kv, dedup: true });
    expect(await runConsole(h.bot, ["first run line one", "first run line two"])).toEqual([
      "reply 1",
      "reply 2",
    ]);
    // Same process id, same line numbers: a second run must still be answered (PID 1 in a container).
    expect(await runConsole(h.bot, ["second run line one", "second run line two"])).toEqual([
      "reply 3",
      "reply 4",
    ]);
    expect(h.model.requests).toHaveLength(4);
    await kv.close();
  });

  it("prints a notice on a line of its own after the answer", async () => {
    const kv = await storeFixture("memory").open();
    const h = await createHarness({ kv, settings: { maxInputChars: 100 } });
    expect(await runConsole(h.bot, ["z".repeat(150)])).toEqual(["reply 1", inputCutNote(100)]);
    await kv.close();
  });
});
