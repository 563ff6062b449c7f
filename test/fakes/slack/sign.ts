import { createHmac } from "node:crypto";

/** Slack's request signature: `v0=` + HMAC-SHA256(secret, `v0:{timestamp}:{raw body}`). */
export function slackSignature(secret: string, timestampSec: number, rawBody: string): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestampSec}:${rawBody}`).digest("hex")}`;
}

/** What a test can vary about a signed request, including forging or ageing it. */
export interface SignedPostOptions {
  readonly secret: string;
  readonly contentType: "application/json" | "application/x-www-form-urlencoded";
  /** Seconds since the epoch; defaults to now. */
  readonly timestampSec?: number;
  /** Overrides the computed signature (a forged request). */
  readonly signature?: string;
  /** Slack's retry headers on a redelivery. */
  readonly retryNum?: number;
  readonly retryReason?: string;
}

/** POSTs a body the way Slack does, signed; resolves with the HTTP status and body. */
export async function postSigned(
  url: string,
  rawBody: string,
  options: SignedPostOptions,
): Promise<{ status: number; body: string }> {
  const ts = options.timestampSec ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    "content-type": options.contentType,
    "x-slack-request-timestamp": String(ts),
    "x-slack-signature": options.signature ?? slackSignature(options.secret, ts, rawBody),
  };
  if (options.retryNum !== undefined) {
    headers["x-slack-retry-num"] = String(options.retryNum);
    headers["x-slack-retry-reason"] = options.retryReason ?? "http_timeout";
  }
  const response = await fetch(url, { method: "POST", headers, body: rawBody });
  return { status: response.status, body: await response.text() };
}
