import type { webApi } from "@slack/bolt";

/**
 * Web API retries for this bot. The WebClient default retries ten times over about thirty minutes,
 * long after the user stopped waiting; this gives up after a few tries and at most ~30 s of backoff.
 * A 429 is still honoured: the client waits the `Retry-After` seconds before its next try.
 */
export const SLACK_RETRY_POLICY = {
  retries: 3,
  factor: 2,
  minTimeout: 500,
  maxTimeout: 5_000,
  maxRetryTime: 30_000,
  randomize: true,
} as const satisfies webApi.RetryOptions;

/** One Web API request may take this long before it is abandoned (and retried). */
export const SLACK_REQUEST_TIMEOUT_MS = 10_000;
