// How the elements talk to the worker: a small fetch client whose paths, inputs and outputs are
// the worker's own route types (AppType's schema, imported as types only), so a renamed route or
// field breaks `npm run typecheck` rather than a visitor's page. It is hono/client's typing
// without its ~2 kB runtime. Every call settles to a value or to the API's problem (RFC 9457,
// with its stable `code`).

import type { Hono } from "hono";
import type { AppType } from "../../worker/app";
import type { ErrorCode } from "../../worker/errors/codes";
import type { FieldError } from "../../worker/errors/problem";
import type { InvalidEntry } from "../../worker/recipients/parse";
import { loadProblemMessages, problems } from "../i18n/localize";

// biome-ignore lint/suspicious/noExplicitAny: only the schema of the app type is wanted
type Routes = AppType extends Hono<any, infer S, any> ? S : never;
type Path = keyof Routes & string;
type Input<E> = E extends { input: infer I } ? I : never;
type Output<E> = E extends { output: infer O; status: 200 | 201 } ? O : never;
/** The success body of a route, e.g. `Body<"/v1/public/sessions/:id", "$get">`. */
export type Body<P extends Path, M extends keyof Routes[P]> = Output<Routes[P][M]>;

/**
 * Every code a call can settle to: the API's own, and the widget's: "network" when the API could
 * not be reached, "csp_blocked" when the page's Content Security Policy blocked the call,
 * "untrusted_api" when the widget would not send its token there (api/tokens.ts),
 * "token_missing" when the element has neither token nor token-url, and "token_url_failed" when
 * its token-url answered with an error.
 */
export type ProblemCode = ErrorCode | "network" | "csp_blocked" | "untrusted_api" | "token_missing" | "token_url_failed";

export type Problem = {
  code: ProblemCode;
  detail: string;
  status: number;
  /** A field's error (validation_failed) or an address refused (invalid_emails), in the worker's shapes. */
  errors?: (Partial<FieldError> & Partial<InvalidEntry>)[];
  [extra: string]: unknown;
};
export type Result<T> = { ok: true; value: T } | { ok: false; problem: Problem };

type Request = {
  param?: Record<string, string>;
  query?: Record<string, string | undefined>;
  json?: unknown;
  header?: Record<string, string>;
};
/** What the client hands to fetch: its headers are a plain record, so a signer can add one. */
export type SignedInit = RequestInit & { headers: Record<string, string> };

export type PublicSession = Body<"/v1/public/sessions/:id", "$get">;
export type InviteLink = Body<"/v1/invites/:token", "$get">;
export type Registered = Body<"/v1/public/sessions/:id/registrations", "$post">;
export type Registration = Registered["registration"];
export type NewInvitations = Input<Routes["/v1/sessions/:id/invitations"]["$post"]>["json"];
export type CreatedInvitations = Body<"/v1/sessions/:id/invitations", "$post">;
export type Roster = Body<"/v1/sessions/:id/roster", "$get">;
export type EmailPreview = Body<"/v1/sessions/:id/invitations/preview", "$post">;
export type PreviewRequest = Input<Routes["/v1/sessions/:id/invitations/preview"]["$post"]>["json"];
export type DiscountCode = Body<"/v1/discount-codes", "$get">["discountCodes"][number];
/**
 * The extras of a `capacity_full` problem from POST /v1/sessions/:id/invitations. The worker
 * declares no schema for a problem's extras, so this is the one shape written here, from the
 * roster's seat counts.
 */
export type Shortfall = Pick<Roster["session"]["seats"], "capacity" | "available"> & { requested: number };

/**
 * A call that could not reach the API: the page's CSP blocked it (api/csp.ts, in the problems'
 * chunk, fetched only now), or the network failed.
 */
export async function network(error: unknown, api?: string): Promise<Result<never>> {
  await loadProblemMessages();
  const blocked = api && (await problems?.blockedBy(api));
  return { ok: false, problem: blocked || { code: "network", detail: String(error), status: 0 } };
}

/** A JSON response as a value, or the API's problem. */
export async function settle<T>(response: Response): Promise<Result<T>> {
  const body = await response.json().catch(() => null);
  if (response.ok) return { ok: true, value: body as T };
  await loadProblemMessages();
  return {
    ok: false,
    problem:
      body && typeof body.code === "string" ? body : { code: "internal_error", detail: response.statusText, status: response.status },
  };
}

/**
 * A client for one API base. `request` is how it fetches: `fetch` itself, or the provider's
 * signed fetch (TokenSource.fetch) that adds the bearer token.
 */
export function client(base: string, request: (url: string, init: SignedInit) => Promise<Response> = (url, init) => fetch(url, init)) {
  /** One request, as is (the roster's CSV export reads its body itself). */
  function send(method: string, path: Path, input: Request): Promise<Response> {
    const query = new URLSearchParams(
      Object.entries(input.query ?? {}).filter((e): e is [string, string] => e[1] !== undefined),
    ).toString();
    const url =
      base + path.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(input.param?.[name] ?? "")) + (query ? `?${query}` : "");
    const headers: Record<string, string> = { ...input.header };
    if (input.json !== undefined) headers["content-type"] = "application/json";
    return request(url, { method, headers, body: input.json === undefined ? undefined : JSON.stringify(input.json) });
  }

  async function call<P extends Path, M extends keyof Routes[P] & string>(
    path: P,
    method: M,
    input: Input<Routes[P][M]>,
  ): Promise<Result<Output<Routes[P][M]>>> {
    try {
      return await settle(await send(method.slice(1).toUpperCase(), path, input as Request));
    } catch (error) {
      return network(error, base);
    }
  }

  return { call, send };
}

export type Client = ReturnType<typeof client>;
