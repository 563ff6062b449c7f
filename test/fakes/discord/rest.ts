import type { IncomingMessage, ServerResponse } from "node:http";

/** One REST call as the fake received it; `path` is decoded and has no `/api/v10` prefix. */
export interface RestCall {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly authorization: string | undefined;
  readonly body: Record<string, unknown>;
}

/** A scripted failure for the next matching call(s): a Discord JSON error with status and code. */
export interface RestFault {
  readonly method: string;
  readonly path: RegExp;
  readonly status: number;
  readonly code?: number;
  readonly message?: string;
  /** How many matching calls fail; 1 by default. */
  times?: number;
}

/** What a route answers: a status and an optional JSON body. */
export type RestAnswer = { readonly status: number; readonly body?: unknown };
export type RouteHandler = (call: RestCall, match: RegExpExecArray) => RestAnswer;
export type Route = readonly [method: string, path: RegExp, handler: RouteHandler];

const API_PREFIX = /^\/api\/v10/;

export const discordError = (status: number, code: number, message: string): RestAnswer => ({
  status,
  body: { message, code },
});

/** Reads and records a request, applies a fault if one matches, else routes it. */
export async function serveRest(
  req: IncomingMessage,
  res: ServerResponse,
  routes: readonly Route[],
  faults: RestFault[],
  record: (call: RestCall) => void,
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const url = new URL(req.url ?? "/", "http://fake");
  const text = Buffer.concat(chunks).toString();
  const call: RestCall = {
    method: req.method ?? "GET",
    path: decodeURIComponent(url.pathname.replace(API_PREFIX, "")),
    query: url.search,
    authorization: req.headers.authorization,
    body: text && req.headers["content-type"]?.includes("json") ? JSON.parse(text) : {},
  };
  record(call);
  const answer = answerFor(call, routes, faults);
  if (answer.body === undefined) res.writeHead(answer.status).end();
  else res.writeHead(answer.status, { "content-type": "application/json" }).end(JSON.stringify(answer.body));
}

function answerFor(call: RestCall, routes: readonly Route[], faults: RestFault[]): RestAnswer {
  const fault = faults.find((f) => f.method === call.method && f.path.test(call.path));
  if (fault) {
    fault.times = (fault.times ?? 1) - 1;
    if (fault.times <= 0) faults.splice(faults.indexOf(fault), 1);
    return discordError(fault.status, fault.code ?? 0, fault.message ?? `${fault.status}: fake failure`);
  }
  for (const [method, path, handler] of routes) {
    const match = path.exec(call.path);
    if (method === call.method && match) return handler(call, match);
  }
  return discordError(404, 0, "404: Not Found");
}

/** The id of the message a POST replies to (its message_reference), if any. */
export const replyTarget = (call: RestCall | undefined): string | undefined =>
  (call?.body.message_reference as { message_id?: string } | undefined)?.message_id;
