import type { Logger } from "pino";
import type { MemoryRegistry } from "../memory/registry.js";
import type { AccessCheck } from "./access.js";
import type { BotSettings } from "./bot-deps.js";
import type { ChannelContexts } from "./channel-context.js";
import { type ChannelDefaults, resolveChannel } from "./channel-settings.js";
import type { ChannelStore } from "./channel-store.js";
import { runCommand } from "./command-handler.js";
import { SETUP_VERBS } from "./command-table.js";
import { parseMemoryCommand } from "./commands.js";
import type { CommandEvent } from "./events.js";
import type { KnowledgeSource } from "./knowledge-section.js";
import type { ModelCatalog } from "./models.js";
import type { HandleOutcome, Outbox } from "./outcome.js";
import type { RunRouted } from "./routed-run.js";
import type { Router } from "./router.js";
import type { SessionRecord } from "./session.js";
import { spentElsewhere } from "./thread-spend.js";
import type { Upkeep } from "./upkeep.js";

/** What running a command needs: the store, the settings and their resolver, and the routed runner. */
export interface CommandRunDeps {
  readonly store: ChannelStore;
  readonly memories: MemoryRegistry;
  readonly settings: BotSettings;
  readonly defaults: ChannelDefaults;
  readonly contexts: ChannelContexts;
  readonly models: ModelCatalog;
  readonly router: Router;
  readonly runRouted: RunRouted;
  readonly knowledge?: KnowledgeSource | undefined;
  readonly access?: AccessCheck | undefined;
  readonly now: () => number;
  /** Counts a dropped event by reason. */
  readonly ignore: (event: CommandEvent, reason: string) => Promise<HandleOutcome>;
  /** The channel mode's summary upkeep, run now (after a summary was dropped, so it rebuilds). */
  readonly upkeep: Upkeep;
}

const isSetup = (text: string) => {
  const parsed = parseMemoryCommand(text);
  return parsed.ok && (SETUP_VERBS as readonly string[]).includes(parsed.command.name);
};

/**
 * `/memory` commands on their channel's route: a set-up verb runs on the channel's own record (a thread
 * changes its channel's set-up), every other verb on the memory session the event reads.
 */
export function createCommandRunner(deps: CommandRunDeps) {
  const { store, settings, contexts } = deps;
  return function handleCommand(event: CommandEvent, outbox: Outbox, log: Logger): Promise<HandleOutcome> {
    if (event.user.isBot) return Promise.resolve("ignored");
    const denied = deps.access?.(event);
    if (denied) return deps.ignore(event, denied);
    const setup = isSetup(event.text);
    return deps.runRouted({
      event,
      outbox,
      log,
      lockKey: (route) => (setup ? route.home : route.memory),
      work: async (routed, state) => {
        const { route } = routed;
        const session = state.session;
        const resolve = (s: SessionRecord) => resolveChannel(deps.defaults, event.platform, state.home, s);
        const channelSettings = resolve(session);
        const model = contexts.modelFor(channelSettings);
        const notices: string[] = [];
        const text = await runCommand(event, {
          knowledge: deps.knowledge,
          channel: setup ? route.home : route.memory,
          session,
          store,
          memories: deps.memories,
          settings,
          channelSettings,
          budgetElsewhere: spentElsewhere(route, state, deps.now()),
          setup: setup
            ? {
                homeKey: route.home,
                home: state.home,
                models: deps.models.names,
                prices: settings.prices,
                countTokens: model.countTokens,
                changed: (home) => deps.router.settle(event, home),
              }
            : undefined,
          memoryFor: (s) => contexts.memoryFor(resolve(s)),
          contextFor: (channel, s, query) => contexts.contextFor(channel, s, query, channelSettings, model),
          now: deps.now,
          notices,
          upkeep: () => deps.upkeep(routed, session, log),
        });
        try {
          await outbox.send({ text, ephemeral: true, kind: "command" });
        } catch (error) {
          // The command ran; only its answer was lost. Answering again through the same outbox would fail too.
          log.warn({ err: error }, "command answer could not be delivered");
          return "undelivered";
        }
        // What the whole channel should know (its summary lost), after the caller's own answer.
        for (const notice of notices) {
          await outbox
            .send({ text: notice, ephemeral: false, kind: "notice" })
            .catch((error: unknown) => log.warn({ err: error }, "channel notice could not be delivered"));
        }
        return "command";
      },
    });
  };
}
