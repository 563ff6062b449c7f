import { clip, joinNotes, mediaNote } from "../shared/media-note.js";
import { unescapeSlack } from "./format.js";

/** Names for ids, looked up (and cached) by the adapter; a failed lookup gives the id back, never throws. */
export interface SlackNames {
  user(id: string): Promise<string>;
  channel(id: string): Promise<string>;
}

/** Ids looked up for one message at most; a message with hundreds of mentions keeps the rest as ids. */
export const MAX_LOOKUPS_PER_MESSAGE = 20;
/** Characters read of a shared (forwarded) message and of a link preview. */
export const SHARED_TEXT_MAX_CHARS = 1500;
export const PREVIEW_TEXT_MAX_CHARS = 300;
/** Attachments (shares, previews) read per message. */
export const MAX_ATTACHMENTS = 5;

/** Names found by lookup, by id. */
export interface ResolvedNames {
  readonly users: ReadonlyMap<string, string>;
  readonly channels: ReadonlyMap<string, string>;
}

const TOKEN = /<([^<>\n]*)>/g;
const BROADCASTS = new Set(["here", "channel", "everyone"]);
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** The ids of unlabelled user and channel mentions (`<@U1>`, `<#C1>`) in Slack markup, for one lookup each. */
export function unlabelledIds(text: string): { users: string[]; channels: string[] } {
  const users = new Set<string>();
  const channels = new Set<string>();
  for (const [, inner = ""] of text.matchAll(TOKEN)) {
    if (inner.includes("|")) continue;
    if (/^@[UW][A-Z0-9]+$/.test(inner)) users.add(inner.slice(1));
    else if (/^#[CGD][A-Z0-9]+$/.test(inner)) channels.add(inner.slice(1));
  }
  return { users: [...users], channels: [...channels] };
}

/** `https://x|text` → `text (https://x)`; a label that only repeats the address is dropped. */
function link(target: string, label: string | undefined): string {
  const address = target.replace(/^mailto:/i, "");
  const shown = label?.trim();
  if (
    !shown ||
    shown === target ||
    shown === address ||
    `http://${shown}` === target ||
    `https://${shown}` === target
  )
    return address;
  return `${shown} (${address})`;
}

/** One `<...>` sequence as plain text; anything unknown is kept as it was sent. */
function token(inner: string, names: ResolvedNames): string {
  const bar = inner.indexOf("|");
  const head = bar >= 0 ? inner.slice(0, bar) : inner;
  const label = bar >= 0 ? unescapeSlack(inner.slice(bar + 1)) : undefined;
  const named = (prefix: string, fallback: string) =>
    `${prefix}${(label ?? fallback).replace(/^[@#]+/, "") || fallback}`;
  if (head.startsWith("@")) return named("@", names.users.get(head.slice(1)) ?? head.slice(1));
  if (head.startsWith("#")) return named("#", names.channels.get(head.slice(1)) ?? head.slice(1));
  if (head.startsWith("!subteam^")) return named("@", head.slice("!subteam^".length));
  if (head.startsWith("!")) {
    const word = head.slice(1).split("^")[0] ?? "";
    if (BROADCASTS.has(word)) return `@${word}`;
    return label ?? word;
  }
  if (SCHEME.test(head)) return link(unescapeSlack(head), label);
  return `<${unescapeSlack(inner)}>`;
}

/**
 * Slack markup as the model should read it: `<@U1>` → `@ann`, `<#C1|general>` → `#general`, user
 * groups → `@oncall`, `<!here>` → `@here` (plain text: replies are neutralised on the way out),
 * `<https://x|docs>` → `docs (https://x)`, entities unescaped. Pure: names come already looked up.
 */
export function renderSlackMarkup(
  text: string,
  names: ResolvedNames = { users: new Map(), channels: new Map() },
): string {
  let out = "";
  let last = 0;
  for (const match of text.matchAll(TOKEN)) {
    out += unescapeSlack(text.slice(last, match.index)) + token(match[1] ?? "", names);
    last = match.index + match[0].length;
  }
  return out + unescapeSlack(text.slice(last));
}

/** A file of a message (`files[]`) as the fields the note reads. */
interface SlackFileFields {
  readonly name?: unknown;
  readonly title?: unknown;
  readonly mimetype?: unknown;
  readonly mode?: unknown;
}

const str = (value: unknown): string | undefined =>
  typeof value === "string" && value.trim() ? value : undefined;
const records = (value: unknown): Record<string, unknown>[] =>
  Array.isArray(value)
    ? value.filter((v): v is Record<string, unknown> => typeof v === "object" && v !== null)
    : [];

/** `[image: diagram.png]` for each file; a deleted one (`mode: tombstone`) says so. */
export function fileNotes(files: unknown): string {
  return joinNotes(
    records(files).map((f: SlackFileFields) =>
      f.mode === "tombstone" ? "[deleted file]" : mediaNote(str(f.name) ?? str(f.title), str(f.mimetype)),
    ),
  );
}

/** A shared (forwarded) message or a link preview, shortly, with where it came from. */
function attachmentText(a: Record<string, unknown>, names: ResolvedNames): string | undefined {
  const text = renderSlackMarkup(str(a.text) ?? "", names).trim();
  if (a.is_share === true || a.is_msg_unfurl === true) {
    const author = str(a.author_name) ?? str(a.author_subname);
    const channel = str(a.channel_name);
    const origin = `${author ? ` from ${author}` : ""}${channel ? ` in #${channel.replace(/^#/, "")}` : ""}`;
    const files = fileNotes(a.files);
    return [`[shared message${origin}]`, clip(text, SHARED_TEXT_MAX_CHARS), files].filter(Boolean).join(" ");
  }
  const title = str(a.title)?.trim();
  if (!title && !text) return undefined;
  const service = str(a.service_name);
  const body = [title, text].filter(Boolean).join(": ");
  return `[link preview${service ? `: ${service}` : ""}] ${clip(body, PREVIEW_TEXT_MAX_CHARS)}`;
}

/** What a message gives the renderer: its text, files and attachments as Slack sent them. */
export interface SlackRenderable {
  readonly text: string;
  readonly files?: unknown;
  readonly attachments?: unknown;
}

/** Looks the ids up in parallel, each once, at most MAX_LOOKUPS_PER_MESSAGE; failures keep the id. */
export async function resolveNames(texts: readonly string[], names: SlackNames): Promise<ResolvedNames> {
  const users = new Set<string>();
  const channels = new Set<string>();
  for (const text of texts) {
    const ids = unlabelledIds(text);
    for (const id of ids.users) users.add(id);
    for (const id of ids.channels) channels.add(id);
  }
  const wanted = [
    ...[...users].map((id) => ["user", id] as const),
    ...[...channels].map((id) => ["channel", id] as const),
  ];
  const found = await Promise.all(
    wanted.slice(0, MAX_LOOKUPS_PER_MESSAGE).map(async ([kind, id]) => {
      const name = await (kind === "user" ? names.user(id) : names.channel(id)).catch(() => id);
      return [kind, id, name] as const;
    }),
  );
  return {
    users: new Map(found.filter(([kind]) => kind === "user").map(([, id, name]) => [id, name])),
    channels: new Map(found.filter(([kind]) => kind === "channel").map(([, id, name]) => [id, name])),
  };
}

/**
 * One readable text per Slack message, the same shape Discord's renderer gives: the words with
 * mentions and links as names, then shared messages and link previews with their origin, then a
 * short note per file, so a file-only message is still a message the model knows was there.
 */
export async function renderSlackMessage(message: SlackRenderable, names: SlackNames): Promise<string> {
  const attachments = records(message.attachments).slice(0, MAX_ATTACHMENTS);
  const resolved = await resolveNames([message.text, ...attachments.map((a) => str(a.text) ?? "")], names);
  const parts = [
    renderSlackMarkup(message.text, resolved).trim(),
    ...attachments.map((a) => attachmentText(a, resolved)),
    fileNotes(message.files),
  ];
  return parts.filter((p): p is string => Boolean(p)).join("\n");
}
