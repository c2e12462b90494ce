// Resolves `Authorization: Bearer …` into a caller, and guards what each kind may do.

import { createMiddleware } from "hono/factory";
import { ProblemError } from "../errors/problem";
import type { AppEnv } from "../http/context";
import { resolveApiKey } from "./keys";
import { verifyWidgetToken } from "./widget-tokens";
import type { Caller, OrgCaller } from "./caller";

const unauthenticated = (detail: string) =>
  new ProblemError({ code: "unauthenticated", detail }, { "www-authenticate": 'Bearer realm="rollcall"' });

async function timingSafeEqual(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all(
    [a, b].map(async (s) => new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(s)))),
  );
  let diff = 0;
  for (let i = 0; i < x!.length; i++) diff |= x![i]! ^ y![i]!;
  return diff === 0;
}

async function resolveCaller(env: Env, header: string | undefined, waitUntil: (p: Promise<unknown>) => void): Promise<Caller> {
  const token = /^Bearer\s+(\S+)$/i.exec(header ?? "")?.[1];
  if (!token) throw unauthenticated("Send a key as `Authorization: Bearer <key>`.");
  const now = new Date();
  if (token.startsWith("rk_")) {
    const key = await resolveApiKey(env.DB, token, now);
    if (!key) throw unauthenticated("This API key is not valid or was revoked.");
    if (key.touch) waitUntil(key.touch);
    return { kind: "api_key", orgId: key.orgId, keyId: key.keyId };
  }
  if (token.startsWith("wt_")) {
    const verified = await verifyWidgetToken(env.ROLLCALL_SIGNING_SECRET, token, now);
    if (!verified.ok) throw unauthenticated(verified.reason === "expired" ? "This widget token has expired." : "This widget token is not valid.");
    return { kind: "widget", orgId: verified.orgId, sessionId: verified.sessionId };
  }
  if (env.ROLLCALL_ROOT_KEY && (await timingSafeEqual(token, env.ROLLCALL_ROOT_KEY))) return { kind: "root" };
  throw unauthenticated("This key is not valid.");
}

/** Admin routes: an org API key or a widget token. */
export const requireOrg = createMiddleware<AppEnv>(async (c, next) => {
  const caller = await resolveCaller(c.env, c.req.header("authorization"), (p) => c.executionCtx.waitUntil(p));
  if (caller.kind === "root") throw new ProblemError({ code: "forbidden", detail: "The root key only creates organisations; use an org API key." });
  c.set("caller", caller);
  await next();
});

/** Routes that a widget token must never reach (minting tokens, managing keys). */
export const requireApiKey = createMiddleware<AppEnv>(async (c, next) => {
  const caller = await resolveCaller(c.env, c.req.header("authorization"), (p) => c.executionCtx.waitUntil(p));
  if (caller.kind !== "api_key") throw new ProblemError({ code: "forbidden", detail: "This route needs an org API key." });
  c.set("caller", caller);
  await next();
});

export const requireRoot = createMiddleware<AppEnv>(async (c, next) => {
  const caller = await resolveCaller(c.env, c.req.header("authorization"), (p) => c.executionCtx.waitUntil(p));
  if (caller.kind !== "root") throw new ProblemError({ code: "forbidden", detail: "This route needs the root key." });
  c.set("caller", caller);
  await next();
});

export function orgCaller(caller: Caller): OrgCaller {
  if (caller.kind === "root") throw new ProblemError({ code: "forbidden" });
  return caller;
}
