/** The id the bot stores for a Slack message: a `ts` is unique only within its channel. */
export const slackMessageId = (channel: string, ts: string) => `${channel}:${ts}`;

/** A Slack `ts` ("1712345678.123456", seconds) as epoch milliseconds. */
export const tsMillis = (ts: string) => Math.floor(Number(ts) * 1000);
