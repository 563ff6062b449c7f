import { type GuildMember, type Message, PermissionFlagsBits } from "discord.js";
import type { MessageEvent } from "../../core/events.js";
import { renderDiscordText } from "./render-text.js";

export { promptText } from "./render-text.js";

/** The workspace of direct messages (Discord's own name for "no guild"); DMs never share a guild's memory. */
export const DM_WORKSPACE = "@me";

/** What deciding "is this addressed to me" needs besides the message: who the bot is and the settings. */
export interface MessageEventContext {
  readonly botId: string;
  readonly freeChannels: ReadonlySet<string>;
  readonly commandsOpen: boolean;
}

/** Whether the member may change the channel's memory: Manage Channels in this channel (or its parent). */
export function canManageChannel(member: GuildMember | null | undefined, channelId: string): boolean {
  if (!member) return false;
  try {
    return member.permissionsIn(channelId).has(PermissionFlagsBits.ManageChannels);
  } catch {
    // Channel or roles not cached: fall back to the guild-wide permission.
    return member.permissions.has(PermissionFlagsBits.ManageChannels);
  }
}

function repliesToBot(message: Message, botId: string): boolean {
  if (message.mentions.repliedUser?.id === botId) return true;
  const ref = message.reference?.messageId;
  return ref !== undefined && message.channel.messages.cache.get(ref)?.author?.id === botId;
}

function isFreeChannel(message: Message, free: ReadonlySet<string>): boolean {
  if (free.has(message.channelId)) return true;
  // A thread in a free channel is free too: people expect the channel's rule to hold in its threads.
  const parent = message.channel.isThread() ? message.channel.parentId : null;
  return parent !== null && free.has(parent);
}

/** Why the bot should answer this message, or undefined when it was merely said in its presence. */
export function addressedBy(message: Message, ctx: MessageEventContext): string | undefined {
  if (!message.inGuild()) return "dm";
  // ignoreEveryone: @everyone is not a question to the bot. Roles count: users often pick the bot's role.
  if (message.mentions.has(ctx.botId, { ignoreEveryone: true, ignoreRepliedUser: true })) return "mention";
  if (repliesToBot(message, ctx.botId)) return "reply";
  if (isFreeChannel(message, ctx.freeChannels)) return "free-channel";
  return undefined;
}

/**
 * Where a message is: in a thread (a channel of its own on Discord), the channel it belongs to; in a
 * guild channel, the thread an answer would start (a thread started from a message takes its id).
 */
export function threadFields(message: Pick<Message, "channel" | "id" | "guildId">) {
  const channel = message.channel;
  if (channel.isThread()) return { parent: channel.parentId ?? undefined };
  return message.guildId && !channel.isDMBased() ? { threadRoot: message.id } : {};
}

/** Turns a Discord message into the core's event. A Discord thread is a channel of its own, with its own memory. */
export function toMessageEvent(message: Message, ctx: MessageEventContext): MessageEvent {
  const dm = !message.inGuild();
  const name = message.member?.displayName ?? message.author.displayName;
  return {
    kind: "message",
    id: message.id,
    messageId: message.id,
    platform: "discord",
    workspace: message.guildId ?? DM_WORKSPACE,
    channel: message.channelId,
    ...threadFields(message),
    user: { id: message.author.id, name, isBot: message.author.bot },
    isAdmin: ctx.commandsOpen || dm || canManageChannel(message.member, message.channelId),
    isDirect: dm,
    text: renderDiscordText(message, ctx.botId),
    addressed: addressedBy(message, ctx) !== undefined,
  };
}
