import { readFileSync } from "node:fs";
import { join } from "node:path";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { commandTable } from "../../src/core/extension-commands.js";
import { createKnowledge } from "../../src/knowledge/knowledge.js";
import { createKeyvStore } from "../../src/store/keyv-store.js";
import { PROJECT_ROOT } from "../helpers/run-bot.js";

const manifest = readFileSync(join(PROJECT_ROOT, "slack-manifest.yml"), "utf8");
/** The values of the YAML list right under `key:` (one `- value # comment` per line). */
const list = (key: string) => {
  const lines = (manifest.split(new RegExp(`\\n\\s*${key}:\\n`))[1] ?? "").split("\n");
  const items = lines.slice(
    0,
    lines.findIndex((line) => !/^\s+- /.test(line)),
  );
  return items.map((line) => line.replace(/^\s+- /, "").replace(/\s*#.*$/, ""));
};

describe("the Slack app manifest", () => {
  it("names every /memory verb of the command table in its usage hint", async () => {
    const kv = await createKeyvStore({ url: "memory://", namespace: "manifest" });
    const knowledge = createKnowledge({
      kv,
      dir: undefined,
      k: 4,
      minScore: 1,
      logger: pino({ level: "silent" }),
    });
    const verbs = commandTable({ knowledge: knowledge.commands, memories: [] }).map((c) => c.verb);
    expect(verbs.length).toBeGreaterThanOrEqual(10);
    const hint = /usage_hint: "([^"]+)"/.exec(manifest)?.[1] ?? "";
    const hinted = hint.split("|").map((part) => part.trim().split(" ")[0]);
    expect(hinted.sort()).toEqual([...verbs].sort());
    await kv.close();
  });

  it("subscribes to group DMs as well as channels, private channels and DMs, with the scope each needs", () => {
    const events = list("bot_events");
    expect(events).toEqual([
      "app_mention",
      "message.channels",
      "message.groups",
      "message.im",
      "message.mpim",
    ]);
    const scopes = list("bot");
    for (const scope of [
      "app_mentions:read",
      "channels:history",
      "groups:history",
      "im:history",
      "mpim:history",
    ])
      expect(scopes).toContain(scope);
  });
});
