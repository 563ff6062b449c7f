import {
  type FakeUser,
  MEMBER_PERMISSIONS,
  memberObject,
  PERMISSIONS,
  roleObject,
  snowflake,
  textChannelObject,
  threadObject,
  userObject,
} from "./payloads.js";

/**
 * The guild, people and channels the fake Discord knows: one guild with a moderator, a plain member
 * and another bot; two text channels, a free channel, a thread, and a DM channel with the moderator.
 */
export function createWorld() {
  const applicationId = snowflake();
  const guildId = snowflake();
  const modRole = snowflake();
  const botRole = snowflake();
  const bot: FakeUser = {
    id: applicationId,
    username: "memorybot",
    global_name: null,
    bot: true,
    roles: [botRole],
  };
  const alice: FakeUser = { id: snowflake(), username: "alice", global_name: "Alice", roles: [modRole] };
  const bob: FakeUser = { id: snowflake(), username: "bob", global_name: "Bob", roles: [] };
  const otherBot: FakeUser = {
    id: snowflake(),
    username: "otherbot",
    global_name: null,
    bot: true,
    roles: [],
  };
  const channels = { general: snowflake(), random: snowflake(), free: snowflake() };
  const thread = snowflake();
  const dm = snowflake();
  const guildChannels = [
    textChannelObject(channels.general, guildId, "general", 0),
    textChannelObject(channels.random, guildId, "random", 1),
    textChannelObject(channels.free, guildId, "ask-the-bot", 2),
  ];
  const threadChannel = threadObject(thread, guildId, channels.general, "a side question", alice.id);
  const dmChannel = {
    id: dm,
    type: 1,
    last_message_id: null,
    flags: 0,
    recipients: [userObject(alice)],
  };
  const people = [bot, alice, bob, otherBot];
  const permissionsOf = (user: FakeUser) =>
    user.roles.includes(modRole) ? MEMBER_PERMISSIONS | PERMISSIONS.manageChannels : MEMBER_PERMISSIONS;

  const guildCreate = () => ({
    id: guildId,
    name: "Fake Guild",
    icon: null,
    splash: null,
    discovery_splash: null,
    owner_id: snowflake(),
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 1,
    default_message_notifications: 1,
    explicit_content_filter: 0,
    roles: [
      roleObject(guildId, "@everyone", MEMBER_PERMISSIONS),
      roleObject(modRole, "Moderators", MEMBER_PERMISSIONS | PERMISSIONS.manageChannels),
      roleObject(botRole, "memorybot", MEMBER_PERMISSIONS, bot.id),
    ],
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: 0,
    system_channel_id: null,
    system_channel_flags: 0,
    rules_channel_id: null,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: 0,
    preferred_locale: "en-US",
    public_updates_channel_id: null,
    nsfw_level: 0,
    premium_progress_bar_enabled: false,
    joined_at: "2024-01-15T10:00:00.000000+00:00",
    large: false,
    unavailable: false,
    member_count: people.length,
    voice_states: [],
    members: people.map((u) => ({ ...memberObject(u), user: userObject(u) })),
    channels: guildChannels,
    threads: [threadChannel],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  });

  const ready = (sessionId: string, resumeUrl: string) => ({
    v: 10,
    user: { ...userObject(bot), verified: true, mfa_enabled: false, flags: 0 },
    guilds: [{ id: guildId, unavailable: true }],
    session_id: sessionId,
    session_type: "normal",
    resume_gateway_url: resumeUrl,
    shard: [0, 1],
    application: { id: applicationId, flags: 0 },
    private_channels: [],
    relationships: [],
    presences: [],
    guild_join_requests: [],
    geo_ordered_rtc_regions: ["us-east"],
    user_settings: {},
    auth: {},
  });

  /** Channel objects by id, as interactions carry them. */
  const channelObjects = new Map<string, Record<string, unknown>>([
    ...guildChannels.map((c) => [c.id, c] as const),
    [thread, threadChannel],
    [dm, dmChannel],
  ]);

  return {
    applicationId,
    guildId,
    roles: { mod: modRole, bot: botRole },
    users: { bot, alice, bob, otherBot },
    people,
    channels: { ...channels, thread, dm },
    channelObjects,
    permissionsOf,
    guildCreate,
    ready,
  };
}

export type World = ReturnType<typeof createWorld>;
