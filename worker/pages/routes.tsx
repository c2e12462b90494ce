// Hosted pages: the public page of a session (/s/{id}), the invitation landing page (/r/{token}),
// the participant's own cancel page (/m/{token}, linked from the confirmation email) and the page
// that confirms a registrant's address (/c/{token}, confirm.tsx).

import type { Context } from "hono";
import { Hono } from "hono";
import { withinRouteLimits } from "../auth/throttle";
import type { AppEnv } from "../http/context";
import type { Locale } from "../i18n/locales";
import { negotiateLocale } from "../i18n/negotiate";
import { isSessionId, parseSessionToken } from "../ids/ids";
import { ledgerFor, sessionLedger } from "../sessions/ledger-client";
import { confirmPages } from "./confirm";
import { HostedPage } from "./layout";

const text = {
  en: {
    notFound: "This page does not exist.",
    manageTitle: "Your registration",
    manageIntro: "Can't come after all? Cancel your registration so that someone else can take your seat.",
    cancel: "Cancel my registration",
    cancelled: "Your registration is cancelled. Thank you for letting us know.",
    invalidLink: "This link is not valid.",
    tooMany: (seconds: number) => `Too many attempts. Try again in ${seconds} seconds.`,
  },
  fr: {
    notFound: "Cette page n'existe pas.",
    manageTitle: "Votre inscription",
    manageIntro: "Vous ne pouvez plus venir ? Annulez votre inscription pour libérer votre place.",
    cancel: "Annuler mon inscription",
    cancelled: "Votre inscription est annulée. Merci de nous avoir prévenus.",
    invalidLink: "Ce lien n'est pas valide.",
    tooMany: (seconds: number) => `Trop de tentatives. Réessayez dans ${seconds} secondes.`,
  },
} satisfies Record<Locale, Record<string, unknown>>;

export const pageRoutes = new Hono<AppEnv>();

/**
 * The pages hold only what the worker wrote (escaped) and the widget from this origin: scripts,
 * calls (the live channel's WebSocket included: 'self' covers ws: and wss: to this host) and
 * forms go nowhere else. Styles may be inline: the page's own <style> block.
 */
const PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

pageRoutes.use("*", async (c, next) => {
  await next();
  c.header("cache-control", "no-store");
  c.header("x-frame-options", "DENY");
});

// Only on these pages: mounted at "/", a "*" middleware here would also run for every other
// route of the app, and overwrite the hosted admin's and the dev outbox's own policies.
for (const path of ["/s/*", "/r/*", "/m/*"]) {
  pageRoutes.use(path, async (c, next) => {
    await next();
    c.header("content-security-policy", PAGE_CSP);
    c.header("x-content-type-options", "nosniff");
  });
}

pageRoutes.route("/", confirmPages);

/** A page that only says one thing: a missing session, a link that is not valid. */
function notice(c: Context<AppEnv>, locale: Locale, message: string, status: 404 | 429 = 404) {
  return c.html(
    <HostedPage locale={locale} title={message}>
      <div class="card">
        <p>{message}</p>
      </div>
    </HostedPage>,
    status,
  );
}

// Each page is limited per client, like the API routes behind it (auth/throttle.ts).
for (const path of ["/s/*", "/r/*", "/m/*"]) {
  pageRoutes.use(path, async (c, next) => {
    const verdict = await withinRouteLimits(c);
    if (verdict.ok) return next();
    c.header("retry-after", String(verdict.retryAfter));
    const locale = negotiateLocale(c);
    return notice(c, locale, text[locale].tooMany(verdict.retryAfter), 429);
  });
}

pageRoutes.get("/s/:id", async (c) => {
  const locale = negotiateLocale(c);
  const id = c.req.param("id");
  const session = isSessionId(id) ? await sessionLedger(c.env, id).readPublic() : null;
  if (!session?.ok) return notice(c, locale, text[locale].notFound);
  return c.html(
    <HostedPage locale={locale} title={session.value.title}>
      <rollcall-join session={id} locale={locale} />
    </HostedPage>,
  );
});

pageRoutes.get("/r/:token", async (c) => {
  const locale = negotiateLocale(c);
  const token = c.req.param("token");
  const parsed = parseSessionToken(token);
  if (!parsed) return notice(c, locale, text[locale].invalidLink);
  // The element reads the invitation itself and shows expiry, discount, accept and decline.
  return c.html(
    <HostedPage locale={locale} title="Rollcall">
      <rollcall-join session={parsed.sessionId} invite={token} locale={locale} />
    </HostedPage>,
  );
});

pageRoutes.get("/m/:token", (c) => {
  const locale = negotiateLocale(c);
  const t = text[locale];
  if (!parseSessionToken(c.req.param("token"))) return notice(c, locale, t.invalidLink);
  return c.html(
    <HostedPage locale={locale} title={t.manageTitle}>
      <div class="card">
        <h1>{t.manageTitle}</h1>
        <p>{t.manageIntro}</p>
        <form method="post">
          <button type="submit">{t.cancel}</button>
        </form>
      </div>
    </HostedPage>,
  );
});

// A plain form post: works without JavaScript. The token in the URL is the credential.
pageRoutes.post("/m/:token", async (c) => {
  const locale = negotiateLocale(c);
  const t = text[locale];
  const token = c.req.param("token");
  const parsed = parseSessionToken(token);
  const ledger = parsed ? ledgerFor(c.env, parsed.sessionId) : null;
  const result = ledger?.ok ? await ledger.value.cancelByManageToken(token) : null;
  if (!result?.ok) return notice(c, locale, t.invalidLink);
  return c.html(
    <HostedPage locale={locale} title={t.manageTitle}>
      <div class="card" role="status">
        <h1>{t.manageTitle}</h1>
        <p>{t.cancelled}</p>
      </div>
    </HostedPage>,
  );
});
