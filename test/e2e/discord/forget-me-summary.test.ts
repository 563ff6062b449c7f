import { afterEach, expect, it } from "vitest";
import { channelKey } from "../../../src/core/channel-key.js";
import { SUMMARY_LOST_NOTICE } from "../../../src/core/turn-removal.js";
import { writeSummary } from "../../../src/memory/summary/state.js";
import { type DiscordBotHarness, startDiscordBot } from "../../helpers/discord-bot.js";
import { promptText } from "../../helpers/harness.js";

const EPHEMERAL = 64;
let h: DiscordBotHarness;
afterEach(async () => h.stop());

it("/memory forget-me after IDLE_ACTION=summarize drops the summary holding the caller's words, says so, and tells the channel", async () => {
  h = await startDiscordBot();
  const { users, channels, guildId } = h.fake.world;
  const at = `<@${users.bot.id}>`;
  const m = h.fake.say({
    from: users.alice,
    channel: channels.general,
    content: `${at} my badge number is 8812`,
  });
  await h.handled(m.id);
  // What the idle sweep's "summarize" leaves: a summary of the turns, the turns themselves gone.
  const key = channelKey({ platform: "discord", workspace: guildId, channel: channels.general });
  const session = await h.store.load(key);
  writeSummary(session, {
    text: "Alice's badge number is 8812.",
    tokens: 9,
    through: session.next,
    updates: 1,
    failures: 0,
  });
  await h.store.reset(key, session, { keepDerived: true });
  const before = h.fake.say({
    from: users.bob,
    channel: channels.general,
    content: `${at} what is alice's badge?`,
  });
  await h.handled(before.id);
  expect(promptText(h.requests.at(-1)?.messages ?? [])).toContain("badge number is 8812");

  const id = h.fake.interact({ from: users.alice, channel: channels.general, subcommand: "forget-me" });
  expect(await h.handled(id)).toBe("command");
  const answer = h.fake.calls.find((c) => c.path.startsWith(`/interactions/${id}/`));
  const data = answer?.body.data as { content?: string; flags?: number };
  expect(data.content).toBe(
    "Your messages were no longer stored one by one, but the channel summary included them: I dropped that summary.",
  );
  expect(Number(data.flags) & EPHEMERAL).toBe(EPHEMERAL);
  const notice = h.fake.calls.find(
    (c) => c.method === "POST" && c.path.startsWith(`/webhooks/${h.fake.world.applicationId}/`),
  );
  expect(notice?.body.content).toBe(SUMMARY_LOST_NOTICE);
  expect(Number(notice?.body.flags ?? 0) & EPHEMERAL).toBe(0);

  const after = h.fake.say({ from: users.bob, channel: channels.general, content: `${at} and now?` });
  await h.handled(after.id);
  expect(promptText(h.requests.at(-1)?.messages ?? [])).not.toContain("8812");
});
