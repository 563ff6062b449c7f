import { RESET_WORD } from "./channel-settings.js";
import {
  CHANGES_EVERYONE,
  CHANGES_SETUP,
  CHOICE_SETTINGS,
  CHOICE_VERBS,
  type ChoiceVerb,
} from "./choice-settings.js";

/**
 * The kinds of argument a `/memory` verb takes; each platform renders them (Discord: option types).
 * `rest` is the rest of the line, spaces and line breaks kept (a persona); `choice` one of `choices`;
 * `model` one of the models channels may pick (`CHANNEL_MODELS`).
 */
export const COMMAND_ARG_KINDS = ["text", "mode", "count", "rest", "choice", "model"] as const;
export type CommandArgKind = (typeof COMMAND_ARG_KINDS)[number];

/** Who may run a verb: anyone, only admins, or anyone to look and only admins to change. */
export const COMMAND_ADMIN_RULES = ["anyone", "admins", "admins-to-change"] as const;
export type CommandAdminRule = (typeof COMMAND_ADMIN_RULES)[number];

/** The largest window a channel may choose (`/memory mode window K`). */
export const MAX_WINDOW_TURNS = 1000;

/** One argument of a verb, in the order the verb reads them. */
export interface CommandArg {
  /** Placeholder in the usage line and Discord option name (`^[-_a-z0-9]{1,32}$`). */
  readonly name: string;
  readonly kind: CommandArgKind;
  readonly required: boolean;
  /** Shown next to the option on Discord (at most 100 characters). */
  readonly description: string;
  /** For `count`: the inclusive range. */
  readonly min?: number;
  readonly max?: number;
  /** For `choice`: the words accepted. */
  readonly choices?: readonly string[];
}

/**
 * One `/memory` verb: the single description the parser, `/memory help`, the admin rule and Discord's
 * slash-command definition all read, so a verb added here is reachable everywhere at once.
 */
export interface CommandSpec {
  /** The word after `/memory` (`^[a-z][a-z0-9-]{0,31}$`, which Discord's subcommand names accept too). */
  readonly verb: string;
  readonly args: readonly CommandArg[];
  /** What it does, for help lines and Discord (at most 100 characters). */
  readonly summary: string;
  readonly admin: CommandAdminRule;
  /** Why only admins may run it, for the refusal ("it changes the memory for everyone in the channel"). */
  readonly adminReason?: string;
  /** Built into the core, or added by knowledge or a memory strategy (handled by its own code). */
  readonly source: "built-in" | "extension";
}

/** A choice setting's verb: show it to anyone, change it as an admin, one of its values or reset. */
function choiceCommand(verb: ChoiceVerb): CommandSpec & { readonly verb: ChoiceVerb } {
  const entry = CHOICE_SETTINGS[verb];
  return {
    verb,
    args: [
      {
        name: verb,
        kind: "choice",
        required: false,
        description: entry.argDescription,
        choices: [...entry.values, RESET_WORD],
      },
    ],
    summary: entry.summary,
    admin: "admins-to-change",
    adminReason: entry.adminReason,
    source: "built-in",
  };
}

/** The verbs the core implements, in the order help lists them. */
export const BUILTIN_COMMANDS = [
  { verb: "help", args: [], summary: "list the /memory commands", admin: "anyone", source: "built-in" },
  {
    verb: "reset",
    args: [],
    summary: "forget this channel's conversation",
    admin: "admins",
    adminReason: CHANGES_EVERYONE,
    source: "built-in",
  },
  {
    verb: "mode",
    args: [
      { name: "mode", kind: "mode", required: false, description: "The memory mode to use in this channel" },
      {
        name: "window",
        kind: "count",
        required: false,
        description: "How many recent turns the window modes keep",
        min: 1,
        max: MAX_WINDOW_TURNS,
      },
    ],
    summary: "show the memory mode and the choices, or switch it (window: turns kept by window modes)",
    admin: "admins-to-change",
    adminReason: CHANGES_EVERYONE,
    source: "built-in",
  },
  {
    verb: "show",
    args: [],
    summary: "what the next prompt would carry",
    admin: "anyone",
    source: "built-in",
  },
  {
    verb: "stats",
    args: [],
    summary: "model calls and token use of this channel",
    admin: "anyone",
    source: "built-in",
  },
  {
    verb: "forget-me",
    args: [],
    summary: "delete what you said from this channel's memory",
    admin: "anyone",
    source: "built-in",
  },
  {
    verb: "export",
    args: [],
    summary: "the channel's stored memory as JSON, shown only to you",
    admin: "admins",
    adminReason: "it shows what everyone in the channel said",
    source: "built-in",
  },
  {
    verb: "persona",
    args: [
      {
        name: "text",
        kind: "rest",
        required: false,
        description: "The bot's instructions in this channel, or reset for the default",
      },
    ],
    summary: "show, set or reset the bot's instructions",
    admin: "admins-to-change",
    adminReason: CHANGES_SETUP,
    source: "built-in",
  },
  {
    verb: "model",
    args: [{ name: "model", kind: "model", required: false, description: "The model to answer with here" }],
    summary: "show or switch the model",
    admin: "admins-to-change",
    adminReason: "it changes how the channel is answered and what that costs",
    source: "built-in",
  },
  ...CHOICE_VERBS.map(choiceCommand),
] as const satisfies readonly CommandSpec[];

/** The verbs that change a channel's set-up, kept in the channel's own record (its threads share it). */
export const SETUP_VERBS = ["persona", "model", ...CHOICE_VERBS] as const;
export type SetupVerb = (typeof SETUP_VERBS)[number];

/** The built-in verbs, as a type the parser's result names. */
export type BuiltinVerb = (typeof BUILTIN_COMMANDS)[number]["verb"];

/** `/memory mode [mode] [window]: ...`: required arguments in `<>`, optional ones in `[]`. */
export function usageLine(spec: CommandSpec): string {
  const args = spec.args.map((a) => (a.required ? ` <${a.name}>` : ` [${a.name}]`)).join("");
  const admin = { anyone: "", admins: " (admins)", "admins-to-change": " (changing it: admins)" }[spec.admin];
  return `/memory ${spec.verb}${args}: ${spec.summary}${admin}`;
}

/** Whether this call needs an admin: always for `admins`, for `admins-to-change` once an argument is given. */
export function needsAdmin(spec: CommandSpec, givenArgs: number): boolean {
  return spec.admin === "admins" || (spec.admin === "admins-to-change" && givenArgs > 0);
}

/** The built-in spec of a verb, if it is one. */
export function builtinCommand(verb: string): CommandSpec | undefined {
  return BUILTIN_COMMANDS.find((c) => c.verb === verb);
}
