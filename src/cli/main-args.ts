import { userInfo } from "node:os";
import { parseArgs } from "node:util";

/** What `npm start -- --help` prints. */
export const USAGE = `Usage: npm start -- [options]     (or: node dist/main.js [options], channel-memory-bot [options])

Runs the bot on Discord when DISCORD_TOKEN is set and on Slack when SLACK_BOT_TOKEN is set; with
neither, in this terminal: each line is a message to the bot, lines starting with /memory are
commands, and piped input is answered line by line until it ends.

Options (terminal only):
  --channel NAME   the channel to talk in (default: general)
  --user NAME      your name in it (default: your login name)
  -h, --help       print this help and exit

Settings are environment variables, also read from .env in the working directory (a variable set in
the environment wins); .env.example lists them all. Other commands: npm run register (Discord's
/memory command), npm run knowledge:index (KNOWLEDGE_DIR), npm run replay -- --input FILE.

Exit status: 0 done (end of input, SIGTERM), 1 failure (e.g. the store unreachable), 2 a setting to fix.`;

/** The command line of the bot, parsed; `help` when it asked for the usage. */
export type MainArgs =
  | { readonly kind: "run"; readonly channel: string; readonly user: string }
  | { readonly kind: "help" }
  | { readonly kind: "invalid"; readonly problem: string };

const loginName = () => {
  try {
    return userInfo().username;
  } catch {
    // No passwd entry for the user (an arbitrary uid in a container).
    return "you";
  }
};

/** Parses the bot's options; an unknown or malformed one is a problem to print, never a stack trace. */
export function parseMainArgs(argv: readonly string[]): MainArgs {
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        channel: { type: "string" },
        user: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      allowPositionals: false,
    });
    if (values.help) return { kind: "help" };
    return { kind: "run", channel: values.channel ?? "general", user: values.user ?? loginName() };
  } catch (error) {
    return { kind: "invalid", problem: (error as Error).message };
  }
}
