import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RestCall } from "../../fakes/discord/rest.js";
import { type DiscordBotHarness, startDiscordBot } from "../../helpers/discord-bot.js";

interface AllowedMentions {
  parse?: string[];
  users?: string[];
  roles?: string[];
  replied_user?: boolean;
}

/**
 * Who Discord would notify for a posted message, by its documented rules: a mention in the content
 * pings only when `allowed_mentions` lets its kind (`parse`) or its id (`users`, `roles`) through;
 * a reply pings its author only with `replied_user`.
 */
function pingsOf(call: RestCall, asker: string): string[] {
  const content = String(call.body.content ?? "");
  const allowed = (call.body.allowed_mentions ?? {
    parse: ["users", "roles", "everyone"],
  }) as AllowedMentions;
  const parse = new Set(allowed.parse ?? []);
  const pings: string[] = [];
  if (/@(everyone|here)/.test(content) && parse.has("everyone")) pings.push("@everyone");
  for (const [, id] of content.matchAll(/<@!?(\d+)>/g))
    if (parse.has("users") || allowed.users?.includes(id ?? "")) pings.push(`user ${id}`);
  for (const [, id] of content.matchAll(/<@&(\d+)>/g))
    if (parse.has("roles") || allowed.roles?.includes(id ?? "")) pings.push(`role ${id}`);
  if (call.body.message_reference && allowed.replied_user) pings.push(`reply to ${asker}`);
  return pings;
}

describe("Discord replies never ping, whatever the model writes", () => {
  let h: DiscordBotHarness;
  let answer = "";
  beforeAll(async () => {
    h = await startDiscordBot({ answer: () => answer, settings: { freeChannels: [], commandsOpen: true } });
  });
  afterAll(async () => h.stop());

  it("pings nobody but the asker (by the reply), across split answers with @everyone, @here, roles and users", async () => {
    const { users, roles, channels } = h.fake.world;
    const hostile = fc.constantFrom(
      "@everyone",
      "@here",
      `<@&${roles.mod}>`,
      `<@${users.bob.id}>`,
      `<@!${users.bob.id}>`,
      "<@&1>",
      "\n```\n",
      " ",
      "\n\n",
      "word ".repeat(120),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(hostile, fc.string({ maxLength: 30 })), { minLength: 1, maxLength: 30 }),
        async (parts) => {
          answer = parts.join("").trim() || "@everyone";
          const before = h.fake.calls.length;
          const m = h.fake.say({
            from: users.alice,
            channel: channels.general,
            content: `<@${users.bot.id}> go`,
          });
          await h.handled(m.id);
          const posted = h.fake.calls
            .slice(before)
            .filter((c) => (c.method === "POST" || c.method === "PATCH") && c.path.includes("/messages"));
          expect(posted.length).toBeGreaterThan(0);
          for (const call of posted) {
            const pings = pingsOf(call, users.alice.id);
            expect(pings.filter((p) => !p.startsWith("reply to"))).toEqual([]);
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it("posts /memory export, which quotes everyone's words, as an ephemeral answer that pings nobody", async () => {
    const { users, roles, channels } = h.fake.world;
    answer = "ok";
    const said = h.fake.say({
      from: users.bob,
      channel: channels.random,
      content: `<@${users.bot.id}> hey @everyone and <@&${roles.mod}> and <@${users.alice.id}>`,
    });
    await h.handled(said.id);
    const id = h.fake.interact({
      from: users.alice,
      channel: channels.random,
      subcommand: "export",
      options: [],
    });
    const call = await h.fake.waitForCall("the export", (c) => c.path.startsWith(`/interactions/${id}/`));
    await h.handled(id);
    const data = call.body.data as { content: string; flags: number; allowed_mentions: AllowedMentions };
    expect(data.content).toContain("@everyone");
    expect(data.flags & 64).toBe(64);
    expect(pingsOf({ ...call, body: data as unknown as Record<string, unknown> }, users.alice.id)).toEqual(
      [],
    );
  });
});
