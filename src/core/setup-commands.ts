import { type ChannelSettings, RESET_WORD } from "./channel-settings.js";
import type { ChannelStore } from "./channel-store.js";
import { CHOICE_SETTINGS, type ChoiceSetting, type ChoiceVerb } from "./choice-settings.js";
import type { SetupVerb } from "./command-table.js";
import type { Platform } from "./events.js";
import { formatDollars, type PriceTable, priceOf } from "./prices.js";
import type { TokenCounter } from "./prompt.js";
import type { ChannelSetup, SessionRecord } from "./session.js";

/** The longest persona, in characters: instructions, not a document (knowledge is for those). */
export const PERSONA_MAX_CHARS = 2000;
/** The share of `MEMORY_MAX_PROMPT_TOKENS` a persona may take, so the conversation keeps most of it. */
export const PERSONA_MAX_SHARE = 0.25;

/** What a set-up command reads and changes: the channel's own record, under the channel's lock. */
export interface SetupScope {
  readonly platform: Platform;
  /** The channel's key and record (a thread's commands change its channel's set-up). */
  readonly homeKey: string;
  readonly home: SessionRecord;
  readonly store: ChannelStore;
  /** The channel's settings before this command. */
  readonly settings: ChannelSettings;
  /** Models a channel may pick (`CHANNEL_MODELS`), the default first. */
  readonly models: readonly string[];
  readonly prices?: PriceTable | undefined;
  /** The channel model's tokenizer, for what a persona costs. */
  readonly countTokens: TokenCounter;
  readonly maxPromptTokens: number;
  /** Called once the record is saved, so this process routes by the new set-up at once. */
  readonly changed?: ((home: SessionRecord) => void) | undefined;
}

type SetupCommand = { readonly name: SetupVerb; readonly value?: string | undefined };

const origin = (own: boolean) => (own ? "set in this channel" : "the default");

async function save(scope: SetupScope, change: (setup: ChannelSetup) => void): Promise<void> {
  const setup: ChannelSetup = { ...scope.home.setup };
  change(setup);
  for (const key of Object.keys(setup) as (keyof ChannelSetup)[])
    if (setup[key] === undefined) delete setup[key];
  if (Object.keys(setup).length === 0) delete scope.home.setup;
  else scope.home.setup = setup;
  await scope.store.save(scope.homeKey, scope.home);
  scope.changed?.(scope.home);
}

function quoted(text: string): string {
  return text
    .split("\n")
    .map((line) => `> ${line}`)
    .join("\n");
}

async function persona(scope: SetupScope, value: string | undefined): Promise<string> {
  const { settings, countTokens } = scope;
  if (value === undefined) {
    const source = settings.hasPersona ? "this channel's own persona" : "the default (SYSTEM_PROMPT)";
    return `Instructions here: ${source}, ${countTokens(settings.systemPrompt)} tokens.\n${quoted(settings.systemPrompt)}`;
  }
  if (value.toLowerCase() === RESET_WORD) {
    await save(scope, (s) => delete s.persona);
    return "Persona reset: this channel uses the default instructions (SYSTEM_PROMPT) again.";
  }
  const maxTokens = Math.floor(scope.maxPromptTokens * PERSONA_MAX_SHARE);
  const tokens = countTokens(value);
  if (value.length > PERSONA_MAX_CHARS || tokens > maxTokens) {
    return `That persona is ${value.length.toLocaleString("en-US")} characters and ${tokens.toLocaleString("en-US")} tokens; one may have at most ${PERSONA_MAX_CHARS.toLocaleString("en-US")} characters and ${maxTokens.toLocaleString("en-US")} tokens here (a quarter of MEMORY_MAX_PROMPT_TOKENS, so the conversation keeps the rest). Nothing changed.`;
  }
  await save(scope, (s) => {
    s.persona = value;
  });
  return `Persona set (${tokens} tokens): it replaces the default instructions in this channel from the next message on. /memory persona reset goes back.`;
}

function priced(scope: SetupScope, model: string): string {
  const price = scope.prices ? priceOf(scope.prices, model) : undefined;
  return price
    ? `${model} (${formatDollars(price.input)} in, ${formatDollars(price.output)} out per million tokens)`
    : model;
}

async function model(scope: SetupScope, value: string | undefined): Promise<string> {
  const allowed = scope.models.map((m) => `- ${priced(scope, m)}`).join("\n");
  if (value === undefined) {
    const own = scope.settings.own.model === scope.settings.model;
    return `Model here: ${scope.settings.model} (${origin(own)}).\nAllowed models (CHANNEL_MODELS):\n${allowed}`;
  }
  if (value.toLowerCase() === RESET_WORD) {
    await save(scope, (s) => delete s.model);
    return `Model reset: this channel answers with the default, ${scope.models[0] ?? "OPENAI_MODEL"}.`;
  }
  if (!scope.models.includes(value)) {
    return `Unknown model "${value.slice(0, 100)}". Nothing changed.\nAllowed models (CHANNEL_MODELS):\n${allowed}`;
  }
  await save(scope, (s) => {
    s.model = value;
  });
  return `Model is now ${value} for this channel: its tokenizer counts the prompt budget and its prices show in /memory stats.`;
}

/** A setting with a fixed set of values: shows it with what each value does, sets it, or resets it. */
async function choice(scope: SetupScope, value: string | undefined, field: ChoiceVerb): Promise<string> {
  const { label, meanings } = CHOICE_SETTINGS[field] as ChoiceSetting;
  const current: string = scope.settings[field];
  if (value === undefined) {
    const lines = Object.keys(meanings).map((k) => `${k === current ? "*" : "-"} ${k}: ${meanings[k]}`);
    return `${label}: ${current} (${origin(scope.settings.own[field] !== undefined)}).\n${lines.join("\n")}\nChange with /memory ${field} VALUE, or /memory ${field} reset for the default.`;
  }
  if (value === RESET_WORD) {
    await save(scope, (s) => delete s[field]);
    return `${label} reset: the deployment's default applies here from the next message on.`;
  }
  await save(scope, (s) => {
    s[field] = value;
  });
  return `${label} set to ${value} from the next message on: the bot ${meanings[value]}.`;
}

/**
 * `/memory persona`, `model`, `threads`, `scope` and `listen`: without a value each shows the channel's
 * setting and the choices; with one (admins) it changes the channel's record, which `/memory reset`
 * keeps and every thread of the channel shares.
 */
export function runSetup(scope: SetupScope, command: SetupCommand): Promise<string> {
  switch (command.name) {
    case "persona":
      return persona(scope, command.value);
    case "model":
      return model(scope, command.value);
    default:
      if (command.name === "threads" && !scope.settings.hasThreads && command.value !== undefined)
        return Promise.resolve("The terminal has no threads: nothing changed.");
      return choice(scope, command.value, command.name);
  }
}
