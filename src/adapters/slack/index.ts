export { markdownToSlack, neutraliseMentions, plainToSlack, SLACK_TEXT_LIMIT } from "./format.js";
export { SLACK_REQUEST_TIMEOUT_MS, SLACK_RETRY_POLICY } from "./retry-policy.js";
export type { SlackSettings } from "./settings.js";
export { createSlackAdapter, type SlackAdapter, type SlackAdapterOptions } from "./slack-adapter.js";
