import type { ChannelStore } from "./channel-store.js";
import type { CommandEvent } from "./events.js";
import type { ChannelSetup, SessionRecord } from "./session.js";
import type { Turn } from "./turn.js";
import { type MemoryRewrite, rewriteMemory, SUMMARY_LOST_NOTICE } from "./turn-removal.js";

/** What an export may print: enough for about ten Discord messages; older turns beyond it are left out. */
export const EXPORT_MAX_CHARS = 20_000;

interface PrivacyScope {
  readonly channel: string;
  readonly session: SessionRecord;
  readonly store: ChannelStore;
  readonly now: () => number;
  /** Notices for the whole channel, posted after the caller's answer. */
  readonly notices?: string[] | undefined;
  /** Rebuilds a dropped summary from the turns left, now. */
  readonly upkeep?: (() => Promise<void>) | undefined;
}

/** "1 of your messages", "2 of your messages" (after "of your", the noun stays plural). */
const messages = (n: number) => `${n} of your messages`;

/** What forget-me says it removed, the summary included, so nobody thinks a summary still quotes them. */
function forgotAnswer(done: MemoryRewrite): string {
  const n = done.removed.length;
  if (n === 0) {
    return done.summary === "dropped"
      ? "Your messages were no longer stored one by one, but the channel summary included them: I dropped that summary."
      : "I have nothing you said stored in this channel's memory.";
  }
  const forgot = `Forgot ${messages(n)} in this channel (and my answers to them)`;
  if (done.summary === "dropped") return `${forgot}, and the channel summary that included them.`;
  if (done.summary === "rebuilt")
    return `${forgot}. The channel summary that included them was dropped and is rebuilt from what others said.`;
  if (done.summary === "kept") return `${forgot}. The channel summary did not include them and stays.`;
  return `${forgot}, and anything built from them.`;
}

/**
 * `/memory forget-me`: deletes the caller's own turns (their words and the answers to them) from this
 * channel's memory, and everything derived from them: the index, and the summary when it holds them
 * (rebuilt from what is left, or dropped, with a notice to the channel, when its turns are gone).
 */
export async function forgetMe(scope: PrivacyScope, event: CommandEvent): Promise<string> {
  const mine = (id: string) => id === event.user.id;
  const done = await rewriteMemory(
    scope.store,
    scope.channel,
    scope.session,
    (t) => (mine(t.user.id) ? null : undefined),
    (a) => mine(a.userId),
  );
  if (done.summary === "rebuilt") await scope.upkeep?.();
  if (done.summary === "dropped") scope.notices?.push(SUMMARY_LOST_NOTICE);
  return forgotAnswer(done);
}

/** One turn as exported: what was said and answered, without internal bookkeeping. Backticks are escaped so the block stays closed. */
function exportLine(turn: Turn): string {
  const { seq, ts, user, text, reply } = turn;
  const line = JSON.stringify({
    seq,
    at: new Date(ts).toISOString(),
    user,
    text,
    ...(reply === undefined ? {} : { reply }),
  });
  return line.replace(/`/g, "\\u0060");
}

/** The channel's own set-up as one JSON line (backticks escaped), or nothing when it has none. */
function setupLine(setup: ChannelSetup): string | undefined {
  if (Object.keys(setup).length === 0) return undefined;
  return `Channel set-up: ${JSON.stringify(setup).replace(/`/g, "\\u0060")}`;
}

/**
 * `/memory export` (admins): the channel's own set-up (its persona, model, ...) and its stored turns as
 * JSON, newest kept when it is too long to show. Shown only to the caller; it may hold what everyone in
 * the channel said.
 */
export async function exportMemory(scope: PrivacyScope, setup: ChannelSetup = {}): Promise<string> {
  const { session } = scope;
  const turns = await scope.store.reader(scope.channel, session).range(session.first, session.next);
  const setupText = setupLine(setup);
  const lines: string[] = [];
  let size = setupText?.length ?? 0;
  for (let i = turns.length - 1; i >= 0; i--) {
    const line = exportLine(turns[i] as Turn);
    if (size + line.length + 2 > EXPORT_MAX_CHARS) break;
    lines.unshift(line);
    size += line.length + 2;
  }
  const omitted = turns.length - lines.length;
  const header = `Memory export of this channel: ${turns.length} stored turn${turns.length === 1 ? "" : "s"}${omitted > 0 ? ` (the oldest ${omitted} left out: too long to show)` : ""}, as JSON.`;
  const head = setupText === undefined ? header : `${header}\n${setupText}`;
  return `${head}\n\`\`\`json\n[\n${lines.join(",\n")}\n]\n\`\`\``;
}
