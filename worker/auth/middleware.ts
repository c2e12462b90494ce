// Resolves `Authorization: Bearer …` into a caller, and guards what each kind may do. The API
// takes no cookies: the hosted admin's cookie opens /admin only, so /v1 has no CSRF to defend.

import type { Context, MiddlewareHandler } from "hono";
import { createMiddleware } from "hono/factory";
import { ProblemError } from "../errors/problem";
import type { AppEnv, Caller, WidgetScope } from "../http/context";
import { signingKeys } from "../ids/signing-keys";
import { resolveApiKey } from "./api-keys";
import type { OrgCaller } from "./caller";
import { timingSafeEqual } from "./compare";
import { refusedOrigin } from "./cors";
import { embedOriginsOfOrg, originAllowed } from "./origins";
import { type Action, refusal } from "./permissions";
import { verifyWidgetToken, widgetTokenSource } from "./widget-tokens";

const unauthenticated = (detail: string, code: "unauthenticated" | "token_expired" | "token_invalid" = "unauthenticated") =>
  new ProblemError({ code, detail }, { "www-authenticate": 'Bearer realm="rollcall"' });

async function resolveCaller(env: Env, header: string | undefined, now: Date, waitUntil: (p: Promise<unknown>) => void): Promise<Caller> {
  const token = /^Bearer\s+(\S+)$/i.exec(header ?? "")?.[1];
  if (!token) throw unauthenticated("Send a key as `Authorization: Bearer <key>`.");
  if (token.startsWith("rk_")) {
    const key = await resolveApiKey(env.DB, token, now);
    if (!key) throw unauthenticated("This API key is not valid or was revoked.");
    if (key.touch) waitUntil(key.touch);
    return { kind: "api_key", orgId: key.orgId, keyId: key.keyId };
  }
  if (token.startsWith("wt_")) {
    const verified = await verifyWidgetToken(await signingKeys(env), token, now);
    if (!verified.ok)
      throw verified.reason === "expired"
        ? unauthenticated("This widget token has expired; fetch a new one.", "token_expired")
        : unauthenticated("This widget token is not valid: give the element a token minted by POST /v1/widget-tokens.", "token_invalid");
    // A token ends with the key that minted it (revoked) or the member it was given to (removed).
    const source = await widgetTokenSource(env.DB, verified);
    if (!source) throw unauthenticated("The key or member this widget token came from is no longer valid.", "token_invalid");
    const { orgId, sessionId, scopes } = verified;
    return { kind: "widget", orgId, sessionId, scopes, source: verified.source, ...(source.member ? { member: source.member } : {}) };
  }
  if (env.ROLLCALL_ROOT_KEY && (await timingSafeEqual(token, env.ROLLCALL_ROOT_KEY))) return { kind: "root" };
  throw unauthenticated("This key is not valid.");
}

/**
 * Which browser pages may act for an org (a preflight carries no credentials, so this is where it
 * can be decided). A widget token already authenticates and scopes its page, so it works from any
 * site until the org lists its allowed embed origins, an extra lock: then only those sites (and
 * this worker's own pages) may use it. An API key is not meant for a web page: from a browser, only
 * this worker's pages and the listed sites may use it. The root key belongs to no org: from a
 * browser, only this worker's own pages may use it.
 */
async function enforceOrigin(c: Context<AppEnv>, caller: Caller): Promise<void> {
  const origin = c.req.header("origin");
  if (!origin) return;
  const own = new URL(c.req.url).origin;
  const embedOrigins =
    caller.kind === "root" || origin === own ? undefined : await embedOriginsOfOrg(c.env.DB, caller.orgId, c.var.clock.now());
  if (!originAllowed(caller.kind === "widget" ? "public" : "admin", origin, own, embedOrigins)) throw refusedOrigin(origin);
}

async function callerOf(c: Context<AppEnv>): Promise<Caller> {
  const caller = await resolveCaller(c.env, c.req.header("authorization"), c.var.clock.now(), (p) => c.executionCtx.waitUntil(p));
  await enforceOrigin(c, caller);
  return caller;
}

/** What a host's token does on a route of this scope, unless the route says (permissions.ts). */
const HOST_ACTION: Record<WidgetScope, Action> = { "roster:read": "session:read", invite: "session:invite", manage: "session:manage" };

export type AccessOptions = {
  /** The route changes what belongs to the whole org (its directory). */
  orgWide?: boolean;
  /** What a host does here, when the scope does not say it (a session's invite scope reads the org's contacts too). */
  host?: Action;
};

/**
 * Admin routes: an org API key, or a widget token granting the scope the route needs. `orgWide`:
 * the route changes what belongs to the whole org (its directory), which a token for one session
 * may not do, whatever its scopes. A token given to a host does only what permissions.ts lets a
 * host do, about the session the token is for, as things stand now.
 */
export const requireOrg = (scope: WidgetScope, { orgWide = false, host }: AccessOptions = {}) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const caller = await callerOf(c);
    if (caller.kind === "root")
      throw new ProblemError({ code: "forbidden", detail: "The root key only creates organisations; use an org API key." });
    if (caller.kind === "widget" && !caller.scopes.includes(scope))
      throw new ProblemError({ code: "insufficient_scope", detail: `This widget token does not grant the "${scope}" scope.` });
    if (orgWide && caller.kind === "widget" && caller.sessionId)
      throw new ProblemError({
        code: "forbidden",
        detail: "A widget token for one session cannot change the org's contacts, groups or programs.",
      });
    if (caller.kind === "widget" && caller.member) {
      const { member } = caller;
      const refused = refusal(member, orgWide ? "org" : (host ?? HOST_ACTION[scope]), { hostMemberId: member.sessionHostMemberId });
      if (refused) throw new ProblemError(refused);
    }
    c.set("caller", caller);
    await next();
  });

/**
 * An admin route's guard and its line in the OpenAPI document: an API key, or a widget token with
 * this scope (OpenAPI 3.1 lets a bearer requirement list the roles it needs).
 */
export const orgAccess = (scope: WidgetScope, options?: AccessOptions) => ({
  security: [{ bearer: [scope] }],
  middleware: [requireOrg(scope, options)] as [MiddlewareHandler<AppEnv>],
});

/**
 * The org's directory (contacts, groups, programs): read with the invite scope (the picker of
 * <rollcall-invite> searches it), changed only with the manage scope by an org-wide credential.
 */
export const directoryAccess = (method: "get" | "post" | "patch" | "delete", host: Action = "contacts:pick") =>
  method === "get" ? orgAccess("invite", { host }) : orgAccess("manage", { orgWide: true });

/** Routes that a widget token must never reach (minting tokens, managing keys). */
export const requireApiKey = createMiddleware<AppEnv>(async (c, next) => {
  const caller = await callerOf(c);
  if (caller.kind !== "api_key") throw new ProblemError({ code: "forbidden", detail: "This route needs an org API key." });
  c.set("caller", caller);
  await next();
});

export const requireRoot = createMiddleware<AppEnv>(async (c, next) => {
  const caller = await callerOf(c);
  if (caller.kind !== "root") throw new ProblemError({ code: "forbidden", detail: "This route needs the root key." });
  c.set("caller", caller);
  await next();
});

export function orgCaller(caller: Caller): OrgCaller {
  if (caller.kind === "root") throw new ProblemError({ code: "forbidden" });
  return caller;
}
