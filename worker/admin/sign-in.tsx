// Signing in to the hosted admin with a one-time link: ask for it (the answer is the same whether
// or not the address is a member, and the lookup runs after answering, so timing does not tell
// either), open it (a page with a button: a GET never spends it), press the button (the POST
// spends it and starts a cookie session). The admin page the member asked for before signing in
// (`?next=`, auth/return-path.ts) goes through the form into the emailed link, and is where the
// button lands them; anything but a path of the hosted admin lands them on the sessions.

import type { Context } from "hono";
import { Hono } from "hono";
import { endAdminSession, resolveAdminSession, startAdminSession } from "../auth/admin-sessions";
import { previewLink, redeemLink } from "../auth/links";
import { DEFAULT_RETURN_PATH, nextQuery, returnPath } from "../auth/return-path";
import { countSignInRequest } from "../auth/sign-in-cap";
import { clientOf, withinLimits } from "../auth/throttle";
import { emailSignInLinks } from "../email/admin-links";
import { mailQueues } from "../email/queues";
import { sha256Hex } from "../ids/ids";
import { emailKey, isEmail } from "../recipients/address";
import type { AdminEnv } from "./context";
import { clearSessionCookie, readSessionCookie, writeSessionCookie } from "./cookie";
import { InputField } from "./fields";
import { messagePage } from "./guard";
import { AdminPage } from "./layout";

export const signInRoutes = new Hono<AdminEnv>();

/** The admin page to land on after signing in, from the request's `?next=` or the form's `next`. */
const askedPath = (c: Context<AdminEnv>, form: Record<string, unknown> = {}) => returnPath(form.next ?? c.req.query("next"));

function signInForm(c: Context<AdminEnv>, email = "", error?: string, next = askedPath(c)) {
  const t = c.var.t;
  const notice = c.req.query("notice") === "signedOut" ? t.signIn.signedOut : null;
  return (
    <AdminPage locale={c.var.locale} t={t} title={t.signIn.title} narrow notice={notice}>
      <h1>{t.signIn.title}</h1>
      <div class="card">
        <p>{t.signIn.intro}</p>
        <form method="post" action="/admin/sign-in" novalidate>
          {next && <input type="hidden" name="next" value={next} />}
          <InputField
            name="email"
            label={t.signIn.email}
            type="email"
            value={email}
            required
            errors={error ? { email: error } : {}}
            attrs={{ autocomplete: "email" }}
          />
          <button type="submit">{t.signIn.submit}</button>
        </form>
      </div>
    </AdminPage>
  );
}

signInRoutes.get("/sign-in", (c) => c.html(signInForm(c)));

signInRoutes.post("/sign-in", async (c) => {
  const t = c.var.t;
  const form = await c.req.parseBody();
  const email = typeof form.email === "string" ? form.email.trim() : "";
  const next = askedPath(c, form);
  if (!isEmail(email)) return c.html(signInForm(c, email, t.signIn.invalidEmail, next), 422);
  const verdict = await withinLimits(c.env, [
    { limiter: "SIGNIN_CLIENT_LIMITER", key: clientOf(c) && `sign-in:${clientOf(c)}`, period: 60 },
    { limiter: "SIGNIN_ADDRESS_LIMITER", key: `sign-in:${emailKey(email)}`, period: 60 },
  ]);
  if (!verdict.ok) {
    return messagePage(c, 429, t.signIn.title, t.errors.rateLimited(verdict.retryAfter), { "retry-after": String(verdict.retryAfter) });
  }
  // Past the minute's limits, the day's: counted for every address, member or not.
  const today = await countSignInRequest(c.env.DB, emailKey(email), c.var.clock.now());
  if (!today.ok) return messagePage(c, 429, t.signIn.title, t.signIn.dailyLimit, { "retry-after": String(today.retryAfter) });
  const work = emailSignInLinks(
    c.env.DB,
    mailQueues(c.env),
    { email, baseUrl: new URL(c.req.url).origin, locale: c.var.locale, next },
    c.var.clock.now(),
  );
  c.executionCtx.waitUntil(work.catch((error) => console.error("sign-in link not sent", error)));
  return c.html(
    <AdminPage locale={c.var.locale} t={t} title={t.signIn.sentTitle} narrow>
      <h1>{t.signIn.sentTitle}</h1>
      <div class="card" role="status">
        <p>{t.signIn.sent(email)}</p>
        <p>
          <a href={`/admin/sign-in${nextQuery(next)}`}>{t.signIn.again}</a>
        </p>
      </div>
    </AdminPage>,
  );
});

signInRoutes.get("/link/:token", async (c) => {
  const t = c.var.t;
  const preview = await previewLink(c.env.DB, c.req.param("token"), c.var.clock.now());
  if (preview === "unknown") return messagePage(c, 404, t.link.spentTitle, t.link.unknown);
  if (preview === "spent") return spentLink(c);
  const invite = preview.purpose === "member_invite";
  const title = invite ? t.link.inviteTitle(preview.orgName) : t.link.signInTitle(preview.orgName);
  return c.html(
    <AdminPage locale={c.var.locale} t={t} title={title} narrow>
      <h1>{title}</h1>
      <div class="card">
        <p>{invite ? t.link.invited(preview.email) : t.link.as(preview.email)}</p>
        {/* No action: the button posts to this very URL, its ?next= included. */}
        <form method="post">
          <button type="submit">{invite ? t.link.accept : t.link.signIn}</button>
        </form>
      </div>
    </AdminPage>,
  );
});

signInRoutes.post("/link/:token", async (c) => {
  const now = c.var.clock.now();
  const member = await redeemLink(c.env.DB, c.req.param("token"), now);
  if (typeof member === "string") return spentLink(c);
  // Whoever was signed in on this browser before is signed out: one session per browser.
  const previous = readSessionCookie(c);
  if (previous) c.executionCtx.waitUntil(sha256Hex(previous).then((hash) => endAdminSession(c.env.DB, hash)));
  const { secret, expiresAt } = await startAdminSession(c.env.DB, member, now);
  writeSessionCookie(c, secret, expiresAt);
  // Checked again here: the link's ?next= is text anyone could have written.
  return c.redirect(askedPath(c) ?? DEFAULT_RETURN_PATH, 303);
});

function spentLink(c: Context<AdminEnv>) {
  const t = c.var.t;
  return c.html(
    <AdminPage locale={c.var.locale} t={t} title={t.link.spentTitle} narrow>
      <h1>{t.link.spentTitle}</h1>
      <div class="card">
        <p>{t.link.spent}</p>
        <p>
          <a class="button" href="/admin/sign-in">
            {t.link.askAgain}
          </a>
        </p>
      </div>
    </AdminPage>,
    410,
  );
}

/** Behind the sign-in guard and the CSRF check. */
export async function signOut(c: Context<AdminEnv>) {
  await endAdminSession(c.env.DB, c.var.admin.sessionHash);
  clearSessionCookie(c);
  return c.redirect("/admin/sign-in?notice=signedOut", 303);
}

/** `/admin`: the sessions when signed in, else the sign-in form. */
export async function adminHome(c: Context<AdminEnv>) {
  const secret = readSessionCookie(c);
  const identity = secret ? await resolveAdminSession(c.env.DB, secret, c.var.clock.now()) : null;
  return c.redirect(identity ? "/admin/sessions" : "/admin/sign-in", 303);
}
