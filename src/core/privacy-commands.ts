import type { ChannelStore, SessionRecord, Turn } from "../store/channel-store.js";
import type { CommandEvent } from "./events.js";

/** What an export may print: enough for about ten Discord messages; older turns beyond it are left out. */
export const EXPORT_MAX_CHARS = 20_000;

interface PrivacyScope {
  readonly channel: string;
  readonly session: SessionRecord;
  readonly store: ChannelStore;
  readonly now: () => number;
}

/**
 * `/memory forget-me`: deletes the caller's own turns (their words and the answers to them) from this
 * channel's memory, and drops the summary and index, which may quote them; they rebuild from what is left.
 */
export async function forgetMe(scope: PrivacyScope, event: CommandEvent): Promise<string> {
  const removed = await scope.store.removeTurns(
    scope.channel,
    scope.session,
    (t) => t.user.id === event.user.id,
  );
  if (removed === 0) return "I have nothing you said stored in this channel's memory.";
  return `Forgot ${removed} of your message${removed === 1 ? "" : "s"} in this channel (and my answers to them). The channel's summary and search index were dropped and will be rebuilt from what others said.`;
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

/**
 * `/memory export` (admins): the channel's stored turns as JSON, newest kept when it is too long to
 * show. Shown only to the caller; it may hold what everyone in the channel said.
 */
export async function exportMemory(scope: PrivacyScope): Promise<string> {
  const { session } = scope;
  const turns = await scope.store.reader(scope.channel, session).range(session.first, session.next);
  const lines: string[] = [];
  let size = 0;
  for (let i = turns.length - 1; i >= 0; i--) {
    const line = exportLine(turns[i] as Turn);
    if (size + line.length + 2 > EXPORT_MAX_CHARS) break;
    lines.unshift(line);
    size += line.length + 2;
  }
  const omitted = turns.length - lines.length;
  const header = `Memory export of this channel: ${turns.length} stored turn${turns.length === 1 ? "" : "s"}${omitted > 0 ? ` (the oldest ${omitted} left out: too long to show)` : ""}, as JSON.`;
  return `${header}\n\`\`\`json\n[\n${lines.join(",\n")}\n]\n\`\`\``;
}
