import type { FakeDiscord } from "./fake-discord.js";
import { snowflake, threadObject } from "./payloads.js";
import { discordError, type RestAnswer, type RestCall, type Route } from "./rest.js";

const ok = (body?: unknown): RestAnswer => ({ status: body === undefined ? 204 : 200, body });
const unauthorized = discordError(401, 0, "401: Unauthorized");

/** The REST routes the bot uses, answered with Discord's shapes and Discord's error codes. */
export function createRoutes(fake: FakeDiscord): Route[] {
  const w = fake.world;
  const authed =
    (handler: (call: RestCall, match: RegExpExecArray) => RestAnswer) =>
    (call: RestCall, match: RegExpExecArray): RestAnswer =>
      call.authorization === `Bot ${fake.token}` ? handler(call, match) : unauthorized;
  const knownChannel = (id: string) => w.channelObjects.has(id);
  const command = (body: Record<string, unknown>) => ({
    id: snowflake(),
    application_id: w.applicationId,
    version: snowflake(),
    default_member_permissions: null,
    type: 1,
    nsfw: false,
    ...body,
  });
  const postAsBot = (channel: string, body: Record<string, unknown>, flags = 0) => {
    const ref = body.message_reference as { message_id?: string } | undefined;
    const message = fake.message(w.users.bot, channel, String(body.content ?? ""), ref?.message_id);
    message.flags = flags;
    return message;
  };
  const byToken = (token: string) => [...fake.interactions.values()].find((i) => i.token === token);
  const webhookMessage = (call: RestCall, m: RegExpExecArray) => {
    const interaction = byToken(m[2] ?? "");
    if (m[1] !== w.applicationId || !interaction) return discordError(404, 10015, "Unknown Webhook");
    const message = postAsBot(interaction.channel, call.body, Number(call.body.flags ?? 0));
    return ok({ ...message, webhook_id: w.applicationId, application_id: w.applicationId });
  };
  const callback = (call: RestCall, m: RegExpExecArray) => {
    const interaction = fake.interactions.get(m[1] ?? "");
    if (!interaction || interaction.token !== m[2]) return discordError(404, 10062, "Unknown interaction");
    if (interaction.acknowledged)
      return discordError(400, 40060, "Interaction has already been acknowledged.");
    interaction.acknowledged = true;
    return call.query.includes("with_response=true")
      ? discordError(400, 0, "fake: with_response unsupported")
      : ok();
  };

  return [
    [
      "GET",
      /^\/gateway\/bot$/,
      authed(() =>
        ok({
          url: `ws://127.0.0.1:${fake.port}/gateway`,
          shards: 1,
          session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
        }),
      ),
    ],
    [
      "GET",
      /^\/applications\/@me$/,
      authed(() =>
        ok({ id: w.applicationId, name: "memorybot", description: "", bot_public: true, flags: 0 }),
      ),
    ],
    [
      "PUT",
      /^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/,
      authed((call, m) => {
        if (m[1] !== w.applicationId) return discordError(403, 50001, "Missing Access");
        if (m[2] !== undefined && m[2] !== w.guildId) return discordError(403, 50001, "Missing Access");
        const list = Array.isArray(call.body) ? (call.body as Record<string, unknown>[]) : [];
        return ok(list.map((c) => command({ ...c, ...(m[2] ? { guild_id: m[2] } : {}) })));
      }),
    ],
    [
      "POST",
      /^\/channels\/(\d+)\/typing$/,
      authed((_c, m) => (knownChannel(m[1] ?? "") ? ok() : discordError(404, 10003, "Unknown Channel"))),
    ],
    [
      "POST",
      /^\/channels\/(\d+)\/messages$/,
      authed((call, m) => {
        const channel = m[1] ?? "";
        if (!knownChannel(channel)) return discordError(404, 10003, "Unknown Channel");
        const message = postAsBot(channel, call.body);
        // Discord echoes the bot's own message back over the gateway; the bot must ignore it.
        fake.gateway.dispatch("MESSAGE_CREATE", message);
        return ok(message);
      }),
    ],
    [
      "POST",
      /^\/channels\/(\d+)\/messages\/(\d+)\/threads$/,
      authed((call, m) => {
        const [channel = "", id = ""] = [m[1], m[2]];
        if (!knownChannel(channel)) return discordError(404, 10003, "Unknown Channel");
        if (!fake.messages.has(id)) return discordError(404, 10008, "Unknown Message");
        if (w.channelObjects.has(id))
          return discordError(400, 160004, "A thread has already been created for this message");
        // A thread started from a message takes the message's id, as on Discord.
        const thread = threadObject(id, w.guildId, channel, String(call.body.name ?? ""), w.users.bot.id);
        w.channelObjects.set(id, thread);
        fake.gateway.dispatch("THREAD_CREATE", { ...thread, newly_created: true });
        return ok(thread);
      }),
    ],
    [
      "PATCH",
      /^\/channels\/(\d+)\/messages\/(\d+)$/,
      authed((call, m) => {
        const message = fake.messages.get(m[2] ?? "");
        if (!message) return discordError(404, 10008, "Unknown Message");
        message.content = String(call.body.content ?? message.content);
        message.edited_timestamp = new Date().toISOString();
        return ok(message);
      }),
    ],
    [
      "DELETE",
      /^\/channels\/(\d+)\/messages\/(\d+)$/,
      authed((_c, m) =>
        fake.messages.delete(m[2] ?? "") ? ok() : discordError(404, 10008, "Unknown Message"),
      ),
    ],
    ["POST", /^\/interactions\/(\d+)\/([^/]+)\/callback$/, callback],
    ["PATCH", /^\/webhooks\/(\d+)\/([^/]+)\/messages\/@original$/, webhookMessage],
    ["POST", /^\/webhooks\/(\d+)\/([^/]+)$/, webhookMessage],
  ];
}
