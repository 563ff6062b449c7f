import { type Client, Events, type Message, type PartialMessage } from "discord.js";
import type { Logger } from "pino";
import type { Bot } from "../../core/bot.js";
import type { DeleteEvent, EditEvent } from "../../core/events.js";
import { createChannelOutbox } from "./channel-outbox.js";
import type { MessageEventContext } from "./message-event.js";
import { toDeleteEvent, toEditEvent, toThreadDeleteEvent } from "./rewrite-events.js";

/** What the listeners need from the adapter: the core, its context, and how it runs a handler. */
export interface RewriteListenerOptions {
  readonly bot: Bot;
  readonly logger: Logger;
  /** The bot's identity and settings, once logged in (undefined before, or while stopping). */
  readonly context: () => MessageEventContext | undefined;
  /** Runs a handler tracked and with its failure logged (the adapter's guard). */
  readonly run: (what: string, work: () => Promise<void>) => void;
}

/**
 * Edits, deletions, bulk deletions and deleted threads, handed to the core so its memory follows what
 * the channel shows. Uncached messages arrive as partials (`Partials.Message`): deletions still carry
 * their ids, and an edit its new content.
 */
export function listenForRewrites(client: Client, options: RewriteListenerOptions): void {
  const { bot, logger } = options;
  const hand = (
    event: EditEvent | DeleteEvent | undefined,
    channel: Parameters<typeof createChannelOutbox>[0],
  ) => {
    if (!event) return Promise.resolve();
    logger.debug({ kind: event.kind, channel: event.channel, event: event.id }, "memory rewrite received");
    return bot.handle(event, createChannelOutbox(channel)).then(() => undefined);
  };
  const deleted = (messages: ReadonlyArray<Message | PartialMessage>, id: string) => {
    const ctx = options.context();
    return ctx ? toDeleteEvent(messages, ctx.botId, id) : undefined;
  };

  client.on(Events.MessageUpdate, (before, after) =>
    options.run("edit handling", () => {
      const ctx = options.context();
      return hand(ctx && toEditEvent(before, after, ctx), after.channel);
    }),
  );
  client.on(Events.MessageDelete, (message) =>
    options.run("deletion handling", () => hand(deleted([message], `${message.id}:delete`), message.channel)),
  );
  client.on(Events.MessageBulkDelete, (messages, channel) =>
    options.run("bulk deletion handling", () => {
      const list = [...messages.values()];
      const ids = list.map((m) => m.id).sort();
      return hand(deleted(list, `bulk:${ids[0]}:${ids.at(-1)}:${ids.length}`), channel);
    }),
  );
  client.on(Events.ThreadDelete, (thread) =>
    options.run("thread deletion handling", () =>
      options.context() ? hand(toThreadDeleteEvent(thread), undefined) : Promise.resolve(),
    ),
  );
}
