import slackify from "slackify-markdown";

/**
 * Characters per posted message. Slack truncates `text` past 40,000 and advises staying under
 * 4,000 for readability; pieces stay under that with room for a code fence closed by the splitter.
 */
export const SLACK_TEXT_LIMIT = 3_500;

/** Breaks a ping while reading the same: a word joiner after the `@`. */
const JOIN = "\u2060";

/** `<...>` sequences: links stay, mentions become plain text, anything else is shown literally. */
const ANGLE = /<([^<>\n]*)>/g;
const LINK = /^(https?:\/\/|mailto:)/i;
const CHANNEL_LINK = /^#[CG][A-Z0-9]+/;
/**
 * `@here`, `@channel`, `@everyone` wherever they stand (also after or before a word, so no later split
 * can free one: `@channelhttp` cut after `channel` would be a ping), except as the host of an e-mail
 * address or domain (`me@here.com`).
 */
const BROADCAST = /@(here|channel|everyone)(?![.-]\w)/gi;
/** `<!…>` commands that notify people; others (`<!date…>`) only show their label. */
const PINGS = /^!(here|channel|everyone|subteam)\b/;

/** Whether a link's label only shows its own target (with or without the scheme or a final slash). */
function showsTarget(label: string, target: string): boolean {
  const bare = (v: string) =>
    v
      .trim()
      .replace(/^(https?:\/\/|mailto:)/i, "")
      .replace(/\/$/, "")
      .toLowerCase();
  return bare(label) === bare(target);
}

/**
 * A masked link (`<https://x|label>`) as Slack would show one honestly: a label that is not its own
 * target becomes plain text followed by the target itself, so no text can show one address and lead
 * to another (`[https://bank.example](https://evil.example)` from a model or an echoed user).
 */
function honestLink(inner: string): string {
  const bar = inner.indexOf("|");
  const target = bar >= 0 ? inner.slice(0, bar) : inner;
  const shown = target.toLowerCase().startsWith("mailto:") ? `<${target}|${target.slice(7)}>` : `<${target}>`;
  if (bar < 0) return shown;
  const text = inner.slice(bar + 1);
  return text.trim() === "" || showsTarget(text, target) ? shown : `${text} (${shown})`;
}

function label(inner: string): string {
  const bar = inner.indexOf("|");
  const text = bar >= 0 ? inner.slice(bar + 1) : inner.slice(1).split("^")[0];
  return (text ?? "").replace(/^[@!]+/, "");
}

/**
 * Makes model (or echoed user) text safe to post: `<!channel>`, `<!here>`, `<!everyone>`, user
 * groups and `<@U…>` user mentions become plain `@name` text that pings nobody, and so do bare
 * `@here`, `@channel` and `@everyone`. Links are kept, a masked one with its target shown.
 */
export function neutraliseMentions(mrkdwn: string): string {
  const angles = mrkdwn.replace(ANGLE, (whole, inner: string) => {
    if (PINGS.test(inner) || inner.startsWith("@")) return `@${JOIN}${label(inner)}`;
    if (inner.startsWith("!")) return label(inner);
    if (LINK.test(inner)) return honestLink(inner);
    if (CHANNEL_LINK.test(inner)) return whole;
    return `&lt;${inner}&gt;`;
  });
  // Whatever is left (a `<` the pass above joined into a new sequence) cannot open a mention.
  return angles.replace(/<([!@])/g, "&lt;$1").replace(BROADCAST, (_, word: string) => `@${JOIN}${word}`);
}

/** Model Markdown to Slack mrkdwn (headings, bold, links, lists, code), with mentions neutralised. */
export function markdownToSlack(markdown: string): string {
  try {
    return neutraliseMentions(slackify(markdown)).trimEnd();
  } catch {
    // slackify-markdown throws on some input (a URL with a stray `%`); the answer still goes out, as plain text.
    return plainToSlack(markdown).trimEnd();
  }
}

/** Plain text (command answers) escaped for Slack, with mentions neutralised. */
export function plainToSlack(text: string): string {
  const escaped = text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  return neutraliseMentions(escaped);
}

/** Slack escapes `&`, `<` and `>` in the text it sends; the model should read them as typed. */
export function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}
