// Hosted pages: the public page of a session (/s/{id}), the invitation landing page (/r/{token})
// and the participant's own cancel page (/m/{token}, linked from the confirmation email).

import { Hono } from "hono";
import { html } from "hono/html";
import type { AppEnv } from "../http/context";
import { isSessionId, parseSessionToken } from "../ids/ids";
import { ledgerFor, sessionLedger } from "../sessions/ledger-client";
import { type Locale, page, pageLocale } from "./layout";

const text = {
  en: {
    notFound: "This page does not exist.",
    manageTitle: "Your registration",
    manageIntro: "Can't come after all? Cancel your registration so that someone else can take your seat.",
    cancel: "Cancel my registration",
    cancelled: "Your registration is cancelled. Thank you for letting us know.",
    invalidLink: "This link is not valid.",
  },
  fr: {
    notFound: "Cette page n'existe pas.",
    manageTitle: "Votre inscription",
    manageIntro: "Vous ne pouvez plus venir ? Annulez votre inscription pour libérer votre place.",
    cancel: "Annuler mon inscription",
    cancelled: "Votre inscription est annulée. Merci de nous avoir prévenus.",
    invalidLink: "Ce lien n'est pas valide.",
  },
} satisfies Record<Locale, Record<string, string>>;

export const pageRoutes = new Hono<AppEnv>();

pageRoutes.use("*", async (c, next) => {
  await next();
  c.header("cache-control", "no-store");
  c.header("x-frame-options", "DENY");
});

pageRoutes.get("/s/:id", async (c) => {
  const locale = pageLocale(c.req.header("accept-language"));
  const id = c.req.param("id");
  const session = isSessionId(id) ? await sessionLedger(c.env, id).readPublic() : null;
  if (!session?.ok) return c.html(page(locale, text[locale].notFound, html`<div class="card"><p>${text[locale].notFound}</p></div>`), 404);
  return c.html(page(locale, session.value.title, html`<rollcall-join session="${id}" locale="${locale}"></rollcall-join>`));
});

pageRoutes.get("/r/:token", async (c) => {
  const locale = pageLocale(c.req.header("accept-language"));
  const token = c.req.param("token");
  const parsed = parseSessionToken(token);
  if (!parsed) return c.html(page(locale, text[locale].invalidLink, html`<div class="card"><p>${text[locale].invalidLink}</p></div>`), 404);
  // The element reads the invitation itself and shows expiry, discount, accept and decline.
  return c.html(
    page(locale, "Rollcall", html`<rollcall-join session="${parsed.sessionId}" invite="${token}" locale="${locale}"></rollcall-join>`),
  );
});

pageRoutes.get("/m/:token", (c) => {
  const locale = pageLocale(c.req.header("accept-language"));
  const t = text[locale];
  if (!parseSessionToken(c.req.param("token")))
    return c.html(page(locale, t.invalidLink, html`<div class="card"><p>${t.invalidLink}</p></div>`), 404);
  return c.html(
    page(
      locale,
      t.manageTitle,
      html`<div class="card"><h1>${t.manageTitle}</h1><p>${t.manageIntro}</p>
        <form method="post"><button type="submit">${t.cancel}</button></form></div>`,
    ),
  );
});

// A plain form post: works without JavaScript. The token in the URL is the credential.
pageRoutes.post("/m/:token", async (c) => {
  const locale = pageLocale(c.req.header("accept-language"));
  const t = text[locale];
  const token = c.req.param("token");
  const parsed = parseSessionToken(token);
  const ledger = parsed ? ledgerFor(c.env, parsed.sessionId) : null;
  const result = ledger?.ok ? await ledger.value.cancelByManageToken(token) : null;
  if (!result?.ok) return c.html(page(locale, t.invalidLink, html`<div class="card"><p>${t.invalidLink}</p></div>`), 404);
  return c.html(page(locale, t.manageTitle, html`<div class="card" role="status"><h1>${t.manageTitle}</h1><p>${t.cancelled}</p></div>`));
});
