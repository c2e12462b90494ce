// The page the confirmation email links to (/c/{token}), for sessions that confirm registrations
// by email. Opening the link only asks: mail scanners and link previews open links too, and must
// not confirm a registration the address's owner never asked for. The button (a plain form post,
// no JavaScript needed) confirms.

import type { Context } from "hono";
import { Hono } from "hono";
import type { Outcome } from "../errors/problem";
import type { AppEnv } from "../http/context";
import { de } from "../i18n/grammar";
import type { Locale } from "../i18n/locales";
import { negotiateLocale } from "../i18n/negotiate";
import { parseSessionToken } from "../ids/ids";
import { ledgerFor } from "../sessions/ledger-client";
import { HostedPage } from "./layout";

const text = {
  en: {
    title: "Confirm your registration",
    ask: (session: string) => `Confirm that this email address is yours to keep your place at ${session}.`,
    confirm: "Confirm my registration",
    confirmed: (session: string) => `You are registered for ${session}. A confirmation with your cancel link is on its way to your inbox.`,
    waitlisted: (session: string) => `You are on the waitlist for ${session}. We will email you if a seat frees up.`,
    expired: "This registration was not confirmed in time, and its seat went back to others. Register again on the session's page.",
    cancelled: "This session has been cancelled.",
    full: "The session is full: there is no seat or waitlist left for this registration.",
    unusable: "This link cannot be used any more.",
    invalidLink: "This link is not valid.",
  },
  fr: {
    title: "Confirmez votre inscription",
    ask: (session: string) => `Confirmez que cette adresse e-mail est la vôtre pour garder votre place à ${session}.`,
    confirm: "Confirmer mon inscription",
    confirmed: (session: string) =>
      `Vous êtes inscrit·e à ${session}. Une confirmation avec votre lien d’annulation arrive dans votre boîte mail.`,
    waitlisted: (session: string) => `Vous êtes sur la liste d’attente ${de(session)}. Nous vous écrirons si une place se libère.`,
    expired:
      "Cette inscription n’a pas été confirmée à temps et sa place est revenue aux autres. Inscrivez-vous à nouveau sur la page de la séance.",
    cancelled: "Cette séance a été annulée.",
    full: "La séance est complète : il ne reste ni place ni liste d’attente pour cette inscription.",
    unusable: "Ce lien ne peut plus être utilisé.",
    invalidLink: "Ce lien n’est pas valide.",
  },
} satisfies Record<Locale, Record<string, unknown>>;

export const confirmPages = new Hono<AppEnv>();

function page(c: Context<AppEnv>, locale: Locale, message: string, status: 200 | 404 | 409 | 410, form?: string) {
  const t = text[locale];
  return c.html(
    <HostedPage locale={locale} title={t.title}>
      <div class="card" role={form ? undefined : "status"}>
        <h1>{t.title}</h1>
        <p>{message}</p>
        {form && (
          <form method="post">
            <button type="submit">{form}</button>
          </form>
        )}
      </div>
    </HostedPage>,
    status,
  );
}

/** The session's ledger and title for a token shaped like one of ours, or null. */
async function sessionOf(c: Context<AppEnv>) {
  const parsed = parseSessionToken(c.req.param("token") ?? "");
  const ledger = parsed ? ledgerFor(c.env, parsed.sessionId) : null;
  if (!ledger?.ok) return null;
  const view = await ledger.value.readPublic();
  return view.ok ? { ledger: ledger.value, title: view.value.title } : null;
}

confirmPages.get("/c/:token", async (c) => {
  const locale = negotiateLocale(c);
  const t = text[locale];
  const session = await sessionOf(c);
  if (!session) return page(c, locale, t.invalidLink, 404);
  return page(c, locale, t.ask(session.title), 200, t.confirm);
});

confirmPages.post("/c/:token", async (c) => {
  const locale = negotiateLocale(c);
  const t = text[locale];
  const session = await sessionOf(c);
  if (!session) return page(c, locale, t.invalidLink, 404);
  // The RPC stub's typing loses the failure branch of the ledger's Outcome.
  const result = (await session.ledger.confirmWithLink(c.req.param("token"))) as Outcome<{ registration: { status: string } }>;
  if (result.ok) {
    const waitlisted = result.value.registration.status === "waitlisted";
    return page(c, locale, waitlisted ? t.waitlisted(session.title) : t.confirmed(session.title), 200);
  }
  switch (result.error.code) {
    case "not_found":
      return page(c, locale, t.invalidLink, 404);
    case "confirmation_expired":
      return page(c, locale, t.expired, 410);
    case "session_cancelled":
      return page(c, locale, t.cancelled, 409);
    case "capacity_full":
      return page(c, locale, t.full, 409);
    default:
      return page(c, locale, t.unusable, 409);
  }
});
