// Payload builders in the shapes of the Discord API docs (user, member, guild, channel, message,
// interaction objects), so discord.js parses them exactly as it parses Discord's own.

/** Discord's permission bits the fake uses. */
export const PERMISSIONS = {
  manageChannels: 1n << 4n,
  addReactions: 1n << 6n,
  viewChannel: 1n << 10n,
  sendMessages: 1n << 11n,
  embedLinks: 1n << 14n,
  readMessageHistory: 1n << 16n,
  useApplicationCommands: 1n << 31n,
  sendMessagesInThreads: 1n << 38n,
} as const;

export const MEMBER_PERMISSIONS =
  PERMISSIONS.viewChannel |
  PERMISSIONS.sendMessages |
  PERMISSIONS.addReactions |
  PERMISSIONS.embedLinks |
  PERMISSIONS.readMessageHistory |
  PERMISSIONS.useApplicationCommands |
  PERMISSIONS.sendMessagesInThreads;

let counter = 0n;
/** A fresh snowflake; ids sort by creation like real ones. */
export function snowflake(): string {
  counter += 1n;
  return String(1_250_000_000_000_000_000n + counter);
}

export interface FakeUser {
  readonly id: string;
  readonly username: string;
  readonly global_name: string | null;
  readonly bot?: boolean;
  /** Role ids in the fake guild. */
  readonly roles: readonly string[];
  readonly nick?: string | null;
}

export const userObject = (u: FakeUser) => ({
  id: u.id,
  username: u.username,
  discriminator: "0",
  global_name: u.global_name,
  avatar: null,
  public_flags: 0,
  ...(u.bot ? { bot: true } : {}),
});

export const memberObject = (u: FakeUser, joinedAt = "2024-01-15T10:00:00.000000+00:00") => ({
  roles: [...u.roles],
  nick: u.nick ?? null,
  avatar: null,
  premium_since: null,
  joined_at: joinedAt,
  pending: false,
  deaf: false,
  mute: false,
  flags: 0,
  communication_disabled_until: null,
});

export const roleObject = (id: string, name: string, permissions: bigint, botId?: string) => ({
  id,
  name,
  color: 0,
  hoist: false,
  icon: null,
  unicode_emoji: null,
  position: botId ? 1 : 0,
  permissions: String(permissions),
  managed: Boolean(botId),
  mentionable: false,
  flags: 0,
  ...(botId ? { tags: { bot_id: botId } } : {}),
});

export const textChannelObject = (id: string, guildId: string, name: string, position: number) => ({
  id,
  type: 0,
  guild_id: guildId,
  name,
  position,
  permission_overwrites: [],
  topic: null,
  nsfw: false,
  last_message_id: null,
  rate_limit_per_user: 0,
  parent_id: null,
  flags: 0,
});

export const threadObject = (
  id: string,
  guildId: string,
  parentId: string,
  name: string,
  ownerId: string,
) => ({
  id,
  type: 11,
  guild_id: guildId,
  parent_id: parentId,
  owner_id: ownerId,
  name,
  last_message_id: null,
  rate_limit_per_user: 0,
  message_count: 1,
  member_count: 2,
  total_message_sent: 1,
  flags: 0,
  thread_metadata: {
    archived: false,
    auto_archive_duration: 1440,
    archive_timestamp: "2024-05-01T12:00:00.000000+00:00",
    locked: false,
    create_timestamp: "2024-05-01T12:00:00.000000+00:00",
  },
});

/** A message object as MESSAGE_CREATE carries it (guild messages add guild_id and member). */
export interface MessageShape {
  readonly id: string;
  readonly channelId: string;
  readonly guildId?: string | undefined;
  readonly author: FakeUser;
  readonly content: string;
  readonly mentions: readonly FakeUser[];
  readonly mentionRoles: readonly string[];
  readonly mentionEveryone: boolean;
  readonly referenced?: Record<string, unknown> | undefined;
  readonly flags?: number;
}

export function messageObject(m: MessageShape): Record<string, unknown> {
  const guild = m.guildId !== undefined;
  return {
    id: m.id,
    type: m.referenced ? 19 : 0,
    channel_id: m.channelId,
    ...(guild ? { guild_id: m.guildId, member: memberObject(m.author) } : { channel_type: 1 }),
    author: userObject(m.author),
    content: m.content,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: m.mentionEveryone,
    mentions: m.mentions.map((u) => ({ ...userObject(u), ...(guild ? { member: memberObject(u) } : {}) })),
    mention_roles: [...m.mentionRoles],
    attachments: [],
    embeds: [],
    pinned: false,
    flags: m.flags ?? 0,
    components: [],
    ...(m.referenced
      ? {
          message_reference: {
            type: 0,
            message_id: m.referenced.id,
            channel_id: m.channelId,
            ...(guild ? { guild_id: m.guildId } : {}),
          },
          referenced_message: m.referenced,
        }
      : {}),
  };
}
