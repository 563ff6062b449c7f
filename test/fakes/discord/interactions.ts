import { type FakeUser, memberObject, userObject } from "./payloads.js";

/** One option of a slash command as Discord sends it (3 string, 4 integer). */
export interface CommandOption {
  readonly name: string;
  readonly type: 3 | 4;
  readonly value: string | number;
}

export interface InteractionShape {
  readonly id: string;
  readonly token: string;
  readonly applicationId: string;
  readonly commandId: string;
  readonly guildId?: string | undefined;
  readonly channel: Record<string, unknown>;
  readonly user: FakeUser;
  /** The member's computed permissions in the channel (Discord sends them with every interaction). */
  readonly permissions: bigint;
  readonly appPermissions: bigint;
  readonly subcommand: string;
  readonly options: readonly CommandOption[];
}

/** An APPLICATION_COMMAND interaction object, as in the Discord API docs. */
export function interactionObject(i: InteractionShape): Record<string, unknown> {
  const guild = i.guildId !== undefined;
  const permissions = String(i.permissions);
  return {
    id: i.id,
    application_id: i.applicationId,
    type: 2,
    token: i.token,
    version: 1,
    data: {
      id: i.commandId,
      name: "memory",
      type: 1,
      options: [{ name: i.subcommand, type: 1, options: [...i.options] }],
      ...(guild ? { guild_id: i.guildId } : {}),
    },
    channel_id: i.channel.id,
    channel: { ...i.channel, permissions },
    ...(guild
      ? {
          guild_id: i.guildId,
          guild: { id: i.guildId, locale: "en-US", features: [] },
          guild_locale: "en-US",
          member: { ...memberObject(i.user), user: userObject(i.user), permissions },
        }
      : { user: userObject(i.user) }),
    app_permissions: String(i.appPermissions),
    locale: "en-US",
    entitlements: [],
    authorizing_integration_owners: guild ? { "0": i.guildId } : { "1": i.user.id },
    context: guild ? 0 : 1,
    attachment_size_limit: 10_485_760,
  };
}
