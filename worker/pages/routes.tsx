// Hosted pages: the public page of a session (/s/{id}), the invitation landing page (/r/{token}),
// the participant's own cancel page (/m/{token}, linked from the confirmation email), the page
// that confirms a registrant's address (/c/{token}, confirm.tsx), the program page
// (/programs/i/{token}, program.tsx), an org's public listing (/o/{slug}, listing.tsx), the
// participant's own page (/p/…, participant.tsx) and a session's code page (/s/{id}/code, code.tsx:
// who is registered, for those with its code).

import type { Context } from "hono";
import { Hono } from "hono";
import { withinRouteLimits } from "../auth/throttle";
import { paidSentence } from "../email/templates/registration";
import type { AppEnv } from "../http/context";
import { editHeaders } from "../http/headers";
import type { Locale } from "../i18n/locales";
import { negotiateLocale, preferredLocale } from "../i18n/negotiate";
import { isSessionId, parseSessionToken } from "../ids/ids";
import { orgsBySession } from "../orgs/orgs";
import { startCheckout } from "../payments/checkout";
import type { ManageView } from "../registrations/schemas";
import { ledgerFor, sessionLedger } from "../sessions/ledger-client";
import { sessionTime } from "../time/when";
import { codePages } from "./code";
import { confirmPages } from "./confirm";
import { hostIsSignedIn } from "./host-attending";
import { HostedPage, NoticePage, noticeTitles } from "./layout";
import { listingPage } from "./listing";
import { participantPages } from "./participant";
import { programPages } from "./program";

const text = {
  en: {
    notFound: "This session does not exist, or is no longer offered. Check the link you followed, or ask whoever sent it for a new one.",
    manageTitle: "Your registration",
    confirmSeat: "Cancel your registration?",
    confirmWaitlist: "Leave the waitlist?",
    askSeat: (name: string) => `${name}, can't come after all? Cancelling gives your seat to someone else.`,
    askWaitlist: (name: string) => `${name}, you are on the waitlist. Leaving it lets the next person move up.`,
    session: "Session",
    when: "When",
    where: "Where",
    meetingLink: "Meeting link",
    linkOnceConfirmed: "Sent by email once your seat is confirmed",
    organiser: "Organiser",
    name: "Name",
    status: "Status",
    seat: "Seat confirmed",
    held: "Seat held while you pay",
    payNow: "Pay to keep your seat",
    payUnavailable: "The payment could not be started. Nothing was charged: try the link again in a moment.",
    waitlist: (position: number | null) => (position ? `On the waitlist (position ${position})` : "On the waitlist"),
    cancelSeat: "Yes, cancel my registration",
    cancelWaitlist: "Yes, leave the waitlist",
    keep: "Still coming? Just close this page: nothing changes until you press the button.",
    cancelledTitle: "Registration cancelled",
    cancelled: "Your registration is cancelled. An email confirming it is on its way. Thank you for letting us know.",
    alreadyCancelled: "This registration is cancelled. There is nothing more to do.",
    sessionCancelled: "This session is cancelled, and your registration with it. There is nothing to do.",
    invalidLink: "This link is not valid.",
    tooMany: (seconds: number) => `Too many attempts. Try again in ${seconds} seconds.`,
    noPage: "There is no page at this address. Check the link you followed, or ask whoever sent it for a new one.",
    attending: "You are attending!",
    youHost: "You host this session.",
    invitation: "Invitation",
    openAdmin: "Open it in the admin",
  },
  fr: {
    notFound:
      "Cette séance n’existe pas, ou n’est plus proposée. Vérifiez le lien suivi, ou demandez-en un nouveau à la personne qui vous l’a envoyé.",
    manageTitle: "Votre inscription",
    confirmSeat: "Annuler votre inscription ?",
    confirmWaitlist: "Quitter la liste d’attente ?",
    askSeat: (name: string) => `${name}, vous ne pouvez plus venir ? En annulant, vous libérez votre place pour quelqu’un d’autre.`,
    askWaitlist: (name: string) => `${name}, vous êtes sur la liste d’attente. En la quittant, vous laissez avancer la personne suivante.`,
    session: "Séance",
    when: "Quand",
    where: "Où",
    meetingLink: "Lien de la réunion",
    linkOnceConfirmed: "Envoyé par e-mail une fois votre place confirmée",
    organiser: "Organisateur",
    name: "Nom",
    status: "Statut",
    seat: "Place confirmée",
    held: "Place réservée le temps du paiement",
    payNow: "Payer pour garder votre place",
    payUnavailable: "Le paiement n’a pas pu démarrer. Rien n’a été débité : réessayez le lien dans un instant.",
    waitlist: (position: number | null) => (position ? `Sur la liste d’attente (position ${position})` : "Sur la liste d’attente"),
    cancelSeat: "Oui, annuler mon inscription",
    cancelWaitlist: "Oui, quitter la liste d’attente",
    keep: "Vous venez toujours ? Fermez simplement cette page : rien ne change tant que vous n’appuyez pas sur le bouton.",
    cancelledTitle: "Inscription annulée",
    cancelled: "Votre inscription est annulée. Un e-mail de confirmation est en route. Merci de nous avoir prévenus.",
    alreadyCancelled: "Cette inscription est annulée. Il n’y a plus rien à faire.",
    sessionCancelled: "Cette séance est annulée, et votre inscription avec elle. Vous n’avez rien à faire.",
    invalidLink: "Ce lien n’est pas valide.",
    tooMany: (seconds: number) => `Trop de tentatives. Réessayez dans ${seconds} secondes.`,
    noPage: "Il n’y a pas de page à cette adresse. Vérifiez le lien suivi, ou demandez-en un nouveau à la personne qui vous l’a envoyé.",
    attending: "Vous participez !",
    youHost: "Vous animez cette séance.",
    invitation: "Invitation",
    openAdmin: "L’ouvrir dans l’administration",
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

/**
 * The hosted pages' paths. Only these: mounted at "/", a "*" middleware here would run for every
 * other route of the app too (the API, the hosted admin, the dev outbox) and overwrite their own
 * headers.
 */
const PAGE_PATHS = ["/s/*", "/r/*", "/m/*", "/c/*", "/programs/i/*", "/o/*", "/p/*"];

/** A hosted page's headers: never cached, never framed, this origin's scripts only, never sniffed. */
function pageHeaders(c: Context<AppEnv>) {
  editHeaders(c, (headers) => {
    headers.set("cache-control", "no-store");
    headers.set("x-frame-options", "DENY");
    headers.set("content-security-policy", PAGE_CSP);
    headers.set("x-content-type-options", "nosniff");
  });
}

for (const path of PAGE_PATHS) {
  pageRoutes.use(path, async (c, next) => {
    await next();
    pageHeaders(c);
  });
}

/** A page that only says one thing: a missing session, a link that is not valid. */
function notice(
  c: Context<AppEnv>,
  locale: Locale,
  kind: keyof (typeof noticeTitles)["en"],
  message: string,
  status: 404 | 429 | 503 = 404,
) {
  return c.html(<NoticePage locale={locale} title={noticeTitles[locale][kind]} body={message} />, status);
}

/**
 * What a browser finds at an address the app does not serve (a mistyped or cut link): a page in
 * the visitor's language, with the hosted pages' headers. API clients get the JSON problem.
 */
export function pageNotFound(c: Context<AppEnv>) {
  const locale = negotiateLocale(c);
  pageHeaders(c);
  return notice(c, locale, "notFound", text[locale].noPage, 404);
}

// Each page is limited per client, like the API routes behind it (auth/throttle.ts).
for (const path of PAGE_PATHS) {
  pageRoutes.use(path, async (c, next) => {
    const verdict = await withinRouteLimits(c);
    if (verdict.ok) return next();
    c.header("retry-after", String(verdict.retryAfter));
    const locale = negotiateLocale(c);
    return notice(c, locale, "tooMany", text[locale].tooMany(verdict.retryAfter), 429);
  });
}

pageRoutes.route("/", confirmPages);
pageRoutes.route("/", codePages);
pageRoutes.route("/", programPages);
pageRoutes.route("/", listingPage);
pageRoutes.route("/", participantPages);

pageRoutes.get("/s/:id", async (c) => {
  const locale = negotiateLocale(c);
  const id = c.req.param("id");
  const [session, org] = isSessionId(id) ? await Promise.all([sessionLedger(c.env, id).readPublic(), orgNameOf(c.env, id)]) : [null, null];
  if (!session?.ok) return notice(c, locale, "notFound", text[locale].notFound);
  if (session.value.registrationState !== "cancelled" && (await hostIsSignedIn(c, id))) {
    const t = text[locale];
    const s = session.value;
    return c.html(
      <HostedPage locale={locale} title={s.title} org={org}>
        <div class="card">
          <h1>{s.title}</h1>
          <p>{sessionTime(s.startsAt, s.durationMinutes, s.timeZone, locale)}</p>
          <p>
            <strong>{t.attending}</strong> {t.youHost}
          </p>
          <p>
            <a href={`/admin/sessions/${id}`}>{t.openAdmin}</a>
          </p>
        </div>
      </HostedPage>,
    );
  }
  return c.html(
    <HostedPage locale={locale} title={session.value.title} org={org}>
      <rollcall-join session={id} locale={locale} heading-level="1" />
    </HostedPage>,
  );
});

pageRoutes.get("/r/:token", async (c) => {
  const token = c.req.param("token");
  const parsed = parseSessionToken(token);
  // Where their browser asks for none of Rollcall's languages: the one the invitation was sent in.
  const sentIn = parsed && !preferredLocale(c) ? await invitationLocale(c.env, parsed.sessionId, token) : null;
  const locale = negotiateLocale(c, sentIn);
  if (!parsed) return notice(c, locale, "invalidLink", text[locale].invalidLink);
  // The element reads the invitation itself and shows expiry, discount, accept and decline.
  return c.html(
    <HostedPage locale={locale} title={text[locale].invitation} org={await orgNameOf(c.env, parsed.sessionId)}>
      <rollcall-join session={parsed.sessionId} invite={token} locale={locale} heading-level="1" />
    </HostedPage>,
  );
});

/** The language an invitation was sent in, read through its link (null for a link that is not one). */
async function invitationLocale(env: Env, sessionId: string, token: string): Promise<Locale | null> {
  const ledger = ledgerFor(env, sessionId);
  const link = ledger.ok ? await ledger.value.openInvitation(token) : null;
  return link?.ok ? link.value.invitation.locale : null;
}

/** The name of the org whose session this is (null for a session not in D1 yet, or gone). */
async function orgNameOf(env: Env, sessionId: string): Promise<string | null> {
  return (await orgsBySession(env.DB, [sessionId])).get(sessionId)?.name ?? null;
}

/** The registration a manage link names, with its org's name; null when the link is not valid. */
async function managed(env: Env, token: string): Promise<{ view: ManageView; org: string | null } | null> {
  const parsed = parseSessionToken(token);
  const ledger = parsed ? ledgerFor(env, parsed.sessionId) : null;
  const view = ledger?.ok ? await ledger.value.manageView(token) : null;
  if (!parsed || !view?.ok) return null;
  return { view: view.value, org: await orgNameOf(env, parsed.sessionId) };
}

/**
 * What is (or was) being cancelled: the session, when it is in its own zone, where (as its emails
 * say it), who organises it, whose registration. The meeting link is shown to a confirmed seat
 * only, as only a seat's emails carry it; a seat still to come is told where it will arrive.
 */
function Registration(props: { locale: Locale; view: ManageView; org: string | null }) {
  const t = text[props.locale];
  const { session, registration, onlineUrl } = props.view;
  const location = session.location?.trim();
  const linkToCome = !onlineUrl && session.online && registration.status !== "cancelled";
  return (
    <dl>
      <dt>{t.session}</dt>
      <dd>{session.title}</dd>
      <dt>{t.when}</dt>
      <dd>{sessionTime(session.startsAt, session.durationMinutes, session.timeZone, props.locale)}</dd>
      {location && (
        <>
          <dt>{t.where}</dt>
          <dd>{location}</dd>
        </>
      )}
      {onlineUrl && (
        <>
          <dt>{t.meetingLink}</dt>
          <dd>
            <a href={onlineUrl} rel="noopener noreferrer">
              {onlineUrl}
            </a>
          </dd>
        </>
      )}
      {linkToCome && (
        <>
          <dt>{t.meetingLink}</dt>
          <dd>{t.linkOnceConfirmed}</dd>
        </>
      )}
      {props.org && (
        <>
          <dt>{t.organiser}</dt>
          <dd>{props.org}</dd>
        </>
      )}
      <dt>{t.name}</dt>
      <dd>{registration.name}</dd>
      {registration.status !== "cancelled" && (
        <>
          <dt>{t.status}</dt>
          <dd>
            {registration.status === "confirmed"
              ? t.seat
              : registration.status === "pending_payment"
                ? t.held
                : t.waitlist(registration.waitlistPosition)}
          </dd>
        </>
      )}
    </dl>
  );
}

/** A registration that is over: what it was, and that there is nothing left to do (no button). */
function Closed(props: { c: Context<AppEnv>; locale: Locale; view: ManageView; org: string | null; message: string }) {
  const t = text[props.locale];
  return props.c.html(
    <HostedPage locale={props.locale} title={t.cancelledTitle}>
      <div class="card" role="status">
        <h1>{t.cancelledTitle}</h1>
        <p>{props.message}</p>
        <Registration locale={props.locale} view={props.view} org={props.org} />
      </div>
    </HostedPage>,
  );
}

// The link in the confirmation email opens this page; only its button cancels (a mail scanner
// that follows the link changes nothing).
// The pay link of someone holding a seat they owe for (the promotion email's button, the cancel
// page's): starts the checkout (one per registration, however often followed) and sends them there.
// Anything but a held seat goes to the cancel page, which says where the registration stands.
pageRoutes.get("/m/:token/pay", async (c) => {
  const token = c.req.param("token");
  const parsed = parseSessionToken(token);
  const ledger = parsed ? ledgerFor(c.env, parsed.sessionId) : null;
  const view = parsed && ledger?.ok ? await ledger.value.manageView(token) : null;
  const locale = negotiateLocale(c, view?.ok ? view.value.registration.locale : null);
  if (!parsed || !ledger?.ok || !view?.ok) return notice(c, locale, "invalidLink", text[locale].invalidLink);
  if (view.value.registration.status !== "pending_payment") return c.redirect(`/m/${encodeURIComponent(token)}`, 303);
  const started = await startCheckout(
    c.env,
    ledger.value,
    { url: c.req.url, registrationId: view.value.registration.id, sessionId: parsed.sessionId, now: c.var.clock.now() },
    // A link followed again (or by a mail scanner) keeps the seat held when the provider fails: the hold lapses on its own.
    { keepSeatOnFailure: true },
  );
  if (!started.ok) return notice(c, locale, "unavailable", text[locale].payUnavailable, 503);
  return c.redirect(started.value, 303);
});

pageRoutes.get("/m/:token", async (c) => {
  const found = await managed(c.env, c.req.param("token"));
  const locale = negotiateLocale(c, found?.view.registration.locale);
  const t = text[locale];
  if (!found) return notice(c, locale, "invalidLink", t.invalidLink);
  const { view, org } = found;
  if (view.registration.status === "cancelled") return Closed({ c, locale, view, org, message: t.alreadyCancelled });
  if (view.session.status === "cancelled") return Closed({ c, locale, view, org, message: t.sessionCancelled });
  // A seat held for payment is a seat: cancelling gives it to someone else too.
  const seat = view.registration.status === "confirmed" || view.registration.status === "pending_payment";
  const title = seat ? t.confirmSeat : t.confirmWaitlist;
  return c.html(
    <HostedPage locale={locale} title={title}>
      <div class="card">
        <h1>{title}</h1>
        <p>{seat ? t.askSeat(view.registration.name) : t.askWaitlist(view.registration.name)}</p>
        <Registration locale={locale} view={view} org={org} />
        {view.paid && <p>{paidSentence(view.paid, view.session.timeZone, locale)}</p>}
        {view.registration.status === "pending_payment" && (
          <p>
            <a class="button" href={`/m/${encodeURIComponent(c.req.param("token"))}/pay`}>
              {t.payNow}
            </a>
          </p>
        )}
        <form method="post">
          <button type="submit" class="danger">
            {seat ? t.cancelSeat : t.cancelWaitlist}
          </button>
        </form>
        <p class="muted">{t.keep}</p>
      </div>
    </HostedPage>,
  );
});

// A plain form post: works without JavaScript. The token in the URL is the credential.
pageRoutes.post("/m/:token", async (c) => {
  const token = c.req.param("token");
  const parsed = parseSessionToken(token);
  const ledger = parsed ? ledgerFor(c.env, parsed.sessionId) : null;
  const result = ledger?.ok ? await ledger.value.cancelByManageToken(token) : null;
  const found = result?.ok ? await managed(c.env, token) : null;
  const locale = negotiateLocale(c, found?.view.registration.locale);
  const t = text[locale];
  if (!found) return notice(c, locale, "invalidLink", t.invalidLink);
  return Closed({ c, locale, view: found.view, org: found.org, message: t.cancelled });
});
