// The participant's own page (/p): a person asks for a link with their address or phone for one
// org (/p/{org slug or id}, the same answer whether or not the org knows them), opens it (/p/l/{token}:
// a button, so a mail scanner that fetches the link does not spend it), and sees on /p/me their
// upcoming sessions and open invitations (accept, decline, cancel, calendar file) and their
// details (name, phone, channel, language). Plain forms with a CSRF token, POST/redirect/GET: it
// works without JavaScript. The rules live in worker/participants/; the ledgers decide every seat.

import type { Context } from "hono";
import { Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Child } from "hono/jsx";
import { csrfToken, csrfTokenMatches } from "../auth/csrf";
import { countSignInRequest } from "../auth/sign-in-cap";
import { clientOf, withinLimits } from "../auth/throttle";
import { isLoopbackUrl } from "../config/dev-mode";
import type { FieldProblem } from "../contacts/fields";
import { sessionCalendar } from "../email/calendar/event";
import { mailQueues } from "../email/queues";
import { refusedFields } from "../errors/problem";
import type { AppEnv } from "../http/context";
import { isLocale, type Locale } from "../i18n/locales";
import { negotiateLocale } from "../i18n/negotiate";
import type { ProgramSeatStatus } from "../invitations/program";
import { orgBySlug, readOrg } from "../orgs/orgs";
import { endPageSession, type PageIdentity, previewPageLink, redeemPageLink, resolvePageSession } from "../participants/access";
import { linkTarget, type ProfileInput, readProfile, targetKey } from "../participants/decide";
import { actOnSeat, contactOf, type SeatAction, saveProfile, seatIn, sendPageLink, upcomingSeats } from "../participants/person";
import { withPriceToPay } from "../payments/checkout";
import { personName } from "../recipients/parse";
import { formatPrice } from "../sessions/price";
import { smsQueues } from "../sms/message";
import { sessionTime } from "../time/when";
import { CheckoutReturn } from "./checkout-return";
import { AcceptQuestions, type Answered, postedAnswering } from "./form-fields";
import { HostedPage, NoticePage, noticeTitles, seatStyles } from "./layout";

const text = {
  en: {
    askTitle: (org: string) => `Your sessions with ${org}`,
    askIntro: "Enter the email address or the phone number you gave. We send a link to your page; it works once, for 15 minutes.",
    // Orgs are in any country: the hints say what a number needs (its country code), with no one country's example.
    target: "Email or phone (starting with + and the country code)",
    send: "Send me a link",
    invalidTarget: "Enter an email address, or a phone number starting with + and the country code.",
    sentTitle: "Check your messages",
    sent: (org: string) =>
      `If ${org} knows you by this address or number, a link to your page is on its way. It works once, for 15 minutes.`,
    again: "Ask for another link",
    tooMany: (seconds: number) => `Too many requests. Try again in ${seconds} seconds.`,
    dailyLimit: "Too many links were asked for this address today. Try again tomorrow.",
    unknownOrg: "No organisation has its participants' page at this address. Check the link you followed, or ask the organisation for it.",
    openTitle: (org: string) => `Your page at ${org}`,
    openIntro: "This link opens your page once. Press the button to continue.",
    open: "Open my page",
    spentTitle: "This link no longer works",
    spent: "Links to your page work once, for 15 minutes. Ask for a new one from the message you received, or from the organiser's page.",
    signedOutTitle: "Your page is closed",
    signedOut: "Your page stays open for an hour after you open its link. Open a new link to see it again.",
    heading: (org: string) => `Your sessions with ${org}`,
    greeting: (name: string | null) => (name ? `Hello ${name}.` : "Hello."),
    sessions: "Upcoming sessions and invitations",
    where: "Where: ",
    joinOnline: "Join online",
    none: "You have no upcoming session or open invitation here.",
    when: "When",
    status: "Status: ",
    statuses: {
      invited: "Invited",
      full: "Invited, but full",
      registered: "Registered, your seat is confirmed",
      waitlisted: "On the waitlist",
      declined: "Invitation declined",
      closed: "Closed",
      held: "Seat held while you pay",
    } satisfies Record<ProgramSeatStatus, string>,
    position: (n: number) => ` (position ${n})`,
    accept: "Accept",
    price: (price: string) => `Price: ${price}`,
    acceptAndPay: (price: string) => `Accept and pay ${price}`,
    pay: (price: string) => `Pay ${price}`,
    joinWaitlist: "Join the waitlist",
    decline: "Decline",
    cancel: "Cancel my registration",
    leave: "Leave the waitlist",
    confirmCancel: "Cancel? Your seat, or your place in line, goes to someone else.",
    yesCancel: "Yes, cancel",
    keep: "Keep it",
    calendar: "Add to calendar (.ics)",
    done: {
      accept: "Your answer is saved: see the session's status below.",
      decline: "You declined the invitation.",
      cancel: "Your registration is cancelled. An email confirming it is on its way.",
      profile: "Your details are saved.",
    },
    refused: "That could not be done: the session may be full, closed or cancelled. Its status is below.",
    profile: "Your details",
    firstName: "First name",
    lastName: "Last name",
    phone: "Mobile phone",
    phoneHint: "In international format: + and the country code, then the number.",
    channel: "Send my messages by",
    byEmail: "Email",
    bySms: "Text message (SMS)",
    language: "Language",
    save: "Save my details",
    problems: {
      too_long: "This is too long (100 characters at most).",
      phone_invalid: "This is not a valid phone number: start with + and the country code.",
      phone_needs_country: "This is not a valid phone number: start with + and the country code.",
      phone_needed_for_sms: "A phone number is needed to get text messages.",
      "channel.not_an_option": "Choose email or text message.",
      "locale.not_an_option": "Choose a language.",
      other: "This value is not valid.",
    } as Record<string, string>,
    fixBelow: "Some details need fixing: see below.",
    fixAnswers: "To accept, answer the session’s questions: see below.",
    signOut: "Close my page",
    personal: "This page is yours: close it when you are done on a shared device.",
    noEmail: "Your sessions show here once the organiser has your email address.",
  },
  fr: {
    askTitle: (org: string) => `Vos séances avec ${org}`,
    askIntro:
      "Saisissez l’adresse e-mail ou le numéro de téléphone que vous avez donné. Nous envoyons un lien vers votre page ; il fonctionne une fois, pendant 15 minutes.",
    target: "E-mail ou téléphone (commençant par + et l’indicatif du pays)",
    send: "M’envoyer un lien",
    invalidTarget: "Saisissez une adresse e-mail, ou un numéro de téléphone commençant par + et l’indicatif du pays.",
    sentTitle: "Consultez vos messages",
    sent: (org: string) =>
      `Si ${org} vous connaît par cette adresse ou ce numéro, un lien vers votre page est en route. Il fonctionne une fois, pendant 15 minutes.`,
    again: "Demander un autre lien",
    tooMany: (seconds: number) => `Trop de demandes. Réessayez dans ${seconds} secondes.`,
    dailyLimit: "Trop de liens ont été demandés pour cette adresse aujourd’hui. Réessayez demain.",
    unknownOrg:
      "Aucune organisation n’a sa page des participants à cette adresse. Vérifiez le lien suivi, ou demandez-le à l’organisation.",
    openTitle: (org: string) => `Votre page chez ${org}`,
    openIntro: "Ce lien ouvre votre page une seule fois. Appuyez sur le bouton pour continuer.",
    open: "Ouvrir ma page",
    spentTitle: "Ce lien ne fonctionne plus",
    spent:
      "Les liens vers votre page fonctionnent une fois, pendant 15 minutes. Demandez-en un nouveau depuis le message reçu ou la page de l’organisateur.",
    signedOutTitle: "Votre page est fermée",
    signedOut: "Votre page reste ouverte une heure après l’ouverture de son lien. Ouvrez un nouveau lien pour la revoir.",
    heading: (org: string) => `Vos séances avec ${org}`,
    greeting: (name: string | null) => (name ? `Bonjour ${name}.` : "Bonjour."),
    sessions: "Séances à venir et invitations",
    where: "Lieu : ",
    joinOnline: "Rejoindre en ligne",
    none: "Vous n’avez ici aucune séance à venir ni invitation en attente.",
    when: "Quand",
    status: "Statut : ",
    statuses: {
      invited: "Invité·e",
      full: "Invité·e, mais complet",
      registered: "Inscrit·e, votre place est confirmée",
      waitlisted: "Sur la liste d’attente",
      declined: "Invitation refusée",
      closed: "Fermé",
      held: "Place réservée le temps du paiement",
    } satisfies Record<ProgramSeatStatus, string>,
    position: (n: number) => ` (position ${n})`,
    accept: "Accepter",
    price: (price: string) => `Prix : ${price}`,
    acceptAndPay: (price: string) => `Accepter et payer ${price}`,
    pay: (price: string) => `Payer ${price}`,
    joinWaitlist: "Rejoindre la liste d’attente",
    decline: "Refuser",
    cancel: "Annuler mon inscription",
    leave: "Quitter la liste d’attente",
    confirmCancel: "Annuler ? Votre place, ou votre rang dans la file, revient à quelqu’un d’autre.",
    yesCancel: "Oui, annuler",
    keep: "Garder",
    calendar: "Ajouter à l’agenda (.ics)",
    done: {
      accept: "Votre réponse est enregistrée : le statut de la séance figure ci-dessous.",
      decline: "Vous avez refusé l’invitation.",
      cancel: "Votre inscription est annulée. Un e-mail de confirmation est en route.",
      profile: "Vos coordonnées sont enregistrées.",
    },
    refused: "Impossible : la séance est peut-être complète, fermée ou annulée. Son statut figure ci-dessous.",
    profile: "Vos coordonnées",
    firstName: "Prénom",
    lastName: "Nom",
    phone: "Téléphone mobile",
    phoneHint: "Au format international : + et l’indicatif du pays, puis le numéro.",
    channel: "M’envoyer les messages par",
    byEmail: "E-mail",
    bySms: "SMS",
    language: "Langue",
    save: "Enregistrer mes coordonnées",
    problems: {
      too_long: "C’est trop long (100 caractères au plus).",
      phone_invalid: "Ce numéro n’est pas valide : commencez par + et l’indicatif du pays.",
      phone_needs_country: "Ce numéro n’est pas valide : commencez par + et l’indicatif du pays.",
      phone_needed_for_sms: "Un numéro de téléphone est nécessaire pour recevoir des SMS.",
      "channel.not_an_option": "Choisissez e-mail ou SMS.",
      "locale.not_an_option": "Choisissez une langue.",
      other: "Cette valeur n’est pas valide.",
    } as Record<string, string>,
    fixBelow: "Certaines coordonnées sont à corriger : voir ci-dessous.",
    fixAnswers: "Pour accepter, répondez aux questions de la séance : voir ci-dessous.",
    signOut: "Fermer ma page",
    personal: "Cette page est la vôtre : fermez-la quand vous avez terminé sur un appareil partagé.",
    noEmail: "Vos séances s’afficheront ici quand l’organisateur aura votre adresse e-mail.",
  },
} satisfies Record<Locale, Record<string, unknown>>;

const styles = {
  ...seatStyles,
  danger: "background:#b42318",
  buttonLink:
    "display:inline-block;padding:0.6rem 1.1rem;border-radius:8px;border:1px solid #667085;color:#1b1f24;background:#fff;text-decoration:none",
  field: "display:grid;gap:0.25rem;margin:0 0 0.9rem",
  input: "font:inherit;padding:0.5rem;border:1px solid #667085;border-radius:6px;max-width:100%;box-sizing:border-box",
  error: "color:#b42318",
  section: "margin-top:1.5rem",
  link: "color:#1849a9",
};

export const participantPages = new Hono<AppEnv>();

// Its headers and per-client limits are the hosted pages' (PAGE_PATHS in routes.tsx).

const COOKIE = "rollcall_page";
const secureHost = (url: string) => !isLoopbackUrl(url);

/** The page session's secret: HttpOnly, SameSite=Lax, sent only to /p, and Secure (with the __Secure- prefix) off a developer's machine. */
function writePageCookie(c: Context<AppEnv>, secret: string, expiresAt: Date) {
  const secure = secureHost(c.req.url);
  setCookie(c, COOKIE, secret, {
    httpOnly: true,
    sameSite: "Lax",
    path: "/p",
    expires: expiresAt,
    ...(secure ? { secure: true, prefix: "secure" as const } : {}),
  });
}

const readPageCookie = (c: Context<AppEnv>) => (secureHost(c.req.url) ? getCookie(c, COOKIE, "secure") : getCookie(c, COOKIE));

function clearPageCookie(c: Context<AppEnv>) {
  const secure = secureHost(c.req.url);
  deleteCookie(c, COOKIE, { httpOnly: true, sameSite: "Lax", path: "/p", ...(secure ? { secure: true, prefix: "secure" as const } : {}) });
}

function message(c: Context<AppEnv>, locale: Locale, title: string, body: string, status: 200 | 401 | 404 | 410 | 429, more?: Child) {
  return c.html(
    <NoticePage locale={locale} title={title} body={body}>
      {more}
    </NoticePage>,
    status,
  );
}

/** The org a /p/{org} address names: its slug, or its id (an org without a slug yet). */
async function orgNamed(database: D1Database, ref: string): Promise<{ id: string; name: string; locale: Locale | null } | null> {
  const bySlug = /^[a-z0-9-]{3,48}$/.test(ref) ? await orgBySlug(database, ref) : null;
  const org = bySlug ?? (/^org_[A-Za-z0-9]{1,40}$/.test(ref) ? await readOrg(database, ref) : null);
  if (!org) return null;
  const locale = org.settings.defaultLocale;
  return { id: org.id, name: org.name, locale: isLocale(locale) ? locale : null };
}

function AskForm(props: { locale: Locale; org: string; action: string; value?: string; error?: string }) {
  const t = text[props.locale];
  return (
    <form method="post" action={props.action} novalidate>
      <div style={styles.field}>
        <label for="target">{t.target}</label>
        {props.error && (
          <span id="target-error" style={styles.error}>
            {props.error}
          </span>
        )}
        <input
          id="target"
          name="target"
          type="text"
          inputmode="email"
          autocomplete="email"
          required
          maxlength={254}
          value={props.value ?? ""}
          style={styles.input}
          aria-invalid={props.error ? "true" : undefined}
          aria-describedby={props.error ? "target-error" : undefined}
        />
      </div>
      <button type="submit" style={styles.primary}>
        {t.send}
      </button>
    </form>
  );
}

function askPage(c: Context<AppEnv>, locale: Locale, org: { name: string }, value?: string, error?: string) {
  const t = text[locale];
  return c.html(
    <HostedPage locale={locale} title={t.askTitle(org.name)}>
      <div class="card">
        <h1 style="overflow-wrap:anywhere">{t.askTitle(org.name)}</h1>
        <p>{t.askIntro}</p>
        <AskForm locale={locale} org={org.name} action={c.req.path} value={value} error={error} />
      </div>
    </HostedPage>,
    error ? 422 : 200,
  );
}

participantPages.get("/p/me", async (c) => {
  const me = await signedIn(c);
  if (me instanceof Response) return me;
  return myPage(c, me);
});

participantPages.get("/p/l/:token", async (c) => {
  const locale = negotiateLocale(c);
  const t = text[locale];
  const preview = await previewPageLink(c.env.DB, c.req.param("token"), c.var.clock.now());
  if (preview === null) return message(c, locale, t.spentTitle, t.spent, 404);
  if (preview === "spent") return message(c, locale, t.spentTitle, t.spent, 410);
  return c.html(
    <HostedPage locale={locale} title={t.openTitle(preview.orgName)}>
      <div class="card">
        <h1 style="overflow-wrap:anywhere">{t.openTitle(preview.orgName)}</h1>
        <p>{t.openIntro}</p>
        <form method="post">
          <button type="submit" style={styles.primary}>
            {t.open}
          </button>
        </form>
      </div>
    </HostedPage>,
  );
});

participantPages.post("/p/l/:token", async (c) => {
  const locale = negotiateLocale(c);
  const t = text[locale];
  const now = c.var.clock.now();
  const opened = await redeemPageLink(c.env.DB, c.req.param("token"), now);
  if (!opened) return message(c, locale, t.spentTitle, t.spent, 410);
  // One page per browser: whoever's page was open here before is closed.
  const previous = readPageCookie(c);
  if (previous) {
    const before = await resolvePageSession(c.env.DB, previous, now);
    if (before) await endPageSession(c.env.DB, before.sessionHash);
  }
  writePageCookie(c, opened.secret, opened.expiresAt);
  return c.redirect("/p/me", 303);
});

participantPages.get("/p/:org", async (c) => {
  const org = await orgNamed(c.env.DB, c.req.param("org"));
  const locale = negotiateLocale(c, org?.locale);
  if (!org) return message(c, locale, noticeTitles[locale].notFound, text[locale].unknownOrg, 404);
  return askPage(c, locale, org);
});

participantPages.post("/p/:org", async (c) => {
  const org = await orgNamed(c.env.DB, c.req.param("org"));
  const locale = negotiateLocale(c, org?.locale);
  const t = text[locale];
  if (!org) return message(c, locale, noticeTitles[locale].notFound, t.unknownOrg, 404);
  const form = await c.req.parseBody();
  const raw = typeof form.target === "string" ? form.target : "";
  const target = linkTarget(raw);
  if (!target) return askPage(c, locale, org, raw.slice(0, 254), t.invalidTarget);
  // Per client and per address (the sign-in link's limiters, under keys of their own), then the day's cap.
  const client = clientOf(c);
  const key = targetKey(org.id, target);
  const verdict = await withinLimits(c.env, [
    { limiter: "SIGNIN_CLIENT_LIMITER", key: client && `participant-link:${client}`, period: 60 },
    { limiter: "SIGNIN_ADDRESS_LIMITER", key, period: 60 },
  ]);
  if (!verdict.ok) {
    c.header("retry-after", String(verdict.retryAfter));
    return message(c, locale, t.askTitle(org.name), t.tooMany(verdict.retryAfter), 429);
  }
  const now = c.var.clock.now();
  const today = await countSignInRequest(c.env.DB, key, now);
  if (!today.ok) {
    c.header("retry-after", String(today.retryAfter));
    return message(c, locale, t.askTitle(org.name), t.dailyLimit, 429);
  }
  // The lookup runs after answering: the answer and its timing are the same for a stranger.
  const work = sendPageLink(
    c.env,
    { mail: mailQueues(c.env), sms: smsQueues(c.env) },
    { orgId: org.id, orgName: org.name, target, baseUrl: new URL(c.req.url).origin, locale },
    now,
  );
  c.executionCtx.waitUntil(work.catch((error) => console.error("page link not sent", error)));
  return message(
    c,
    locale,
    t.sentTitle,
    t.sent(org.name),
    200,
    <p>
      <a href={c.req.path} style={styles.link}>
        {t.again}
      </a>
    </p>,
  );
});

type Me = PageIdentity & { csrf: string };

/** The page session of this browser, or the page that says it is closed (401). */
async function signedIn(c: Context<AppEnv>): Promise<Me | Response> {
  const secret = readPageCookie(c);
  const identity = secret ? await resolvePageSession(c.env.DB, secret, c.var.clock.now()) : null;
  if (!identity) {
    const locale = negotiateLocale(c);
    return message(c, locale, text[locale].signedOutTitle, text[locale].signedOut, 401);
  }
  return { ...identity, csrf: await csrfToken(c.env.ROLLCALL_SIGNING_SECRET, `page:${identity.sessionHash}`) };
}

/** A signed-in write: the page session and its CSRF token, else the page that says why. */
async function signedInWrite(c: Context<AppEnv>): Promise<{ me: Me; form: Record<string, string | File | (string | File)[]> } | Response> {
  const me = await signedIn(c);
  if (me instanceof Response) return me;
  // Every value of a repeated name (a multiple-choice question's boxes).
  const form = (await c.req.parseBody({ all: true })) as Record<string, string | File | (string | File)[]>;
  const sent = typeof form._csrf === "string" ? form._csrf : undefined;
  if (!(await csrfTokenMatches(c.env.ROLLCALL_SIGNING_SECRET, `page:${me.sessionHash}`, sent))) {
    const locale = negotiateLocale(c);
    return message(c, locale, text[locale].signedOutTitle, text[locale].signedOut, 401);
  }
  return { me, form };
}

/** The language the person's page speaks: their own choice, else their browser's. */
function pageLanguage(c: Context<AppEnv>, contact: { locale: string | null } | null | undefined): Locale {
  return isLocale(contact?.locale) ? contact.locale : negotiateLocale(c);
}

const DONE = ["accept", "decline", "cancel", "profile"] as const;
type Done = (typeof DONE)[number];

async function myPage(
  c: Context<AppEnv>,
  me: Me,
  edit?: { values: Record<string, unknown>; problems: FieldProblem[] },
  answered?: Answered,
) {
  const now = c.var.clock.now();
  const [contact, seats] = await Promise.all([
    contactOf(c.env.DB, me),
    upcomingSeats(c.env, me, now).then((open) => withPriceToPay(c.env.DB, me.orgId, open, now)),
  ]);
  const lang = pageLanguage(c, contact);
  const t = text[lang];
  const done = c.req.query("done");
  const refused = c.req.query("refused") !== undefined;
  const name = contact ? personName(contact) : null;
  const value = (field: string, stored: string | null | undefined) =>
    edit && typeof edit.values[field] === "string" ? (edit.values[field] as string) : (stored ?? "");
  const problem = (field: string) => {
    const p = edit?.problems.find((x) => x.field === field);
    return p ? (t.problems[`${p.field}.${p.code}`] ?? t.problems[p.code] ?? t.problems.other) : undefined;
  };
  const channel = value("channel", contact?.channel ?? "email");
  const chosenLocale = value("locale", contact?.locale ?? lang);
  /** Radio buttons under a legend; their problem is tied to the group, so a screen reader says it with the legend. */
  const Choices = (props: { name: string; legend: string; children: Child }) => {
    const error = problem(props.name);
    return (
      <fieldset style="border:0;padding:0;margin:0 0 0.9rem" aria-describedby={error ? `${props.name}-error` : undefined}>
        <legend>{props.legend}</legend>
        {error && (
          <span id={`${props.name}-error`} style={styles.error}>
            {error}
          </span>
        )}
        {props.children}
      </fieldset>
    );
  };
  const Field = (props: {
    name: string;
    label: string;
    stored: string | null | undefined;
    type?: string;
    hint?: string;
    auto?: string;
  }) => {
    const error = problem(props.name);
    const described = [props.hint ? `${props.name}-hint` : "", error ? `${props.name}-error` : ""].filter(Boolean).join(" ");
    return (
      <div style={styles.field}>
        <label for={props.name}>{props.label}</label>
        {props.hint && (
          <span id={`${props.name}-hint`} class="muted">
            {props.hint}
          </span>
        )}
        {error && (
          <span id={`${props.name}-error`} style={styles.error}>
            {error}
          </span>
        )}
        <input
          id={props.name}
          name={props.name}
          type={props.type ?? "text"}
          value={value(props.name, props.stored)}
          autocomplete={props.auto}
          maxlength={props.name === "phone" ? 40 : 100}
          style={styles.input}
          aria-invalid={error ? "true" : undefined}
          aria-describedby={described || undefined}
        />
      </div>
    );
  };
  const status = edit
    ? t.fixBelow
    : answered
      ? t.fixAnswers
      : refused
        ? t.refused
        : DONE.includes(done as Done)
          ? t.done[done as Done]
          : null;
  return c.html(
    <HostedPage locale={lang} title={t.heading(me.orgName)}>
      <div class="card">
        <h1 style="overflow-wrap:anywhere">{t.heading(me.orgName)}</h1>
        <p>{t.greeting(name)}</p>
        {status && <p role="status">{status}</p>}
        <CheckoutReturn locale={lang} result={c.req.query("rollcall_checkout")} />
        <h2 style="font-size:1.15rem">{t.sessions}</h2>
        {!me.email && <p>{t.noEmail}</p>}
        {me.email && seats.length === 0 && <p>{t.none}</p>}
        <ul style={styles.list}>
          {seats.map((s) => {
            const action = `/p/me/sessions/${encodeURIComponent(s.sessionId)}`;
            const inSeat = s.status === "registered" || s.status === "waitlisted";
            // Cancelling asks first (a link to this page asking, then the button): a stray tap changes nothing.
            const asking = inSeat && c.req.query("confirm") === s.sessionId;
            return (
              <li id={`s-${s.sessionId}`} style={styles.item} data-session={s.sessionId} data-status={s.status}>
                <strong>{s.title}</strong>
                <div>{sessionTime(s.startsAt, s.durationMinutes, s.timeZone, lang)}</div>
                {s.location && (
                  <div>
                    {t.where}
                    {s.location}
                  </div>
                )}
                {s.onlineUrl && (
                  <div>
                    <a href={s.onlineUrl} rel="noopener noreferrer">
                      {t.joinOnline}
                    </a>
                  </div>
                )}
                {s.price && <div>{t.price(formatPrice(s.price, lang))}</div>}
                <div>
                  {t.status}
                  {t.statuses[s.status]}
                  {s.status === "waitlisted" && s.waitlistPosition ? t.position(s.waitlistPosition) : ""}
                </div>
                <form method="post" action={action} style={styles.actions} novalidate>
                  <input type="hidden" name="_csrf" value={me.csrf} />
                  {s.form && <AcceptQuestions sessionId={s.sessionId} form={s.form} locale={lang} answered={answered} />}
                  {s.awaitingPayment && (
                    <button type="submit" name="action" value="pay" style={styles.primary}>
                      {t.pay(formatPrice(s.awaitingPayment.owed, lang))}
                    </button>
                  )}
                  {s.canAccept && (
                    <button type="submit" name="action" value="accept" style={styles.primary}>
                      {s.status === "full" ? t.joinWaitlist : s.toPay ? t.acceptAndPay(formatPrice(s.toPay, lang)) : t.accept}
                    </button>
                  )}
                  {s.canDecline && (
                    <button type="submit" name="action" value="decline" style={styles.secondary}>
                      {t.decline}
                    </button>
                  )}
                  {asking && <p style="flex-basis:100%;margin:0">{t.confirmCancel}</p>}
                  {asking && (
                    <button type="submit" name="action" value="cancel" style={styles.danger}>
                      {t.yesCancel}
                    </button>
                  )}
                  {asking && (
                    <a href="/p/me" style={styles.buttonLink}>
                      {t.keep}
                    </a>
                  )}
                  {inSeat && !asking && (
                    <a href={`/p/me?confirm=${encodeURIComponent(s.sessionId)}#s-${s.sessionId}`} style={styles.buttonLink}>
                      {s.status === "registered" ? t.cancel : t.leave}
                    </a>
                  )}
                </form>
                {s.status === "registered" && (
                  <p style="margin:0.6rem 0 0">
                    <a href={`${action}/calendar.ics`} style={styles.link} download="session.ics">
                      {t.calendar}
                    </a>
                  </p>
                )}
              </li>
            );
          })}
        </ul>
        <h2 style="font-size:1.15rem">{t.profile}</h2>
        <form method="post" action="/p/me/profile" novalidate>
          <input type="hidden" name="_csrf" value={me.csrf} />
          <Field name="firstName" label={t.firstName} stored={contact?.firstName} auto="given-name" />
          <Field name="lastName" label={t.lastName} stored={contact?.lastName} auto="family-name" />
          <Field name="phone" label={t.phone} stored={contact?.phone} type="tel" hint={t.phoneHint} auto="tel" />
          <Choices name="channel" legend={t.channel}>
            <label style="display:block">
              <input type="radio" name="channel" value="email" checked={channel !== "sms"} /> {t.byEmail}
            </label>
            <label style="display:block">
              <input type="radio" name="channel" value="sms" checked={channel === "sms"} /> {t.bySms}
            </label>
          </Choices>
          <Choices name="locale" legend={t.language}>
            <label style="display:block">
              <input type="radio" name="locale" value="en" checked={chosenLocale !== "fr"} lang="en" /> English
            </label>
            <label style="display:block">
              <input type="radio" name="locale" value="fr" checked={chosenLocale === "fr"} lang="fr" /> Français
            </label>
          </Choices>
          <button type="submit" style={styles.primary}>
            {t.save}
          </button>
        </form>
        <form method="post" action="/p/me/sign-out" style={styles.section}>
          <input type="hidden" name="_csrf" value={me.csrf} />
          <button type="submit" style={styles.secondary}>
            {t.signOut}
          </button>
        </form>
        <p class="muted">{t.personal}</p>
      </div>
    </HostedPage>,
    edit || answered ? 422 : 200,
  );
}

participantPages.post("/p/me/sessions/:sessionId", async (c) => {
  const write = await signedInWrite(c);
  if (write instanceof Response) return write;
  const action = write.form.action;
  if (action !== "accept" && action !== "decline" && action !== "cancel" && action !== "pay") return c.redirect("/p/me?refused", 303);
  const sessionId = c.req.param("sessionId");
  // Accepting answers the session's questions, read as its form names them.
  const questions = action === "accept" ? (await seatIn(c.env, write.me, sessionId))?.form : null;
  const answering = postedAnswering(questions, write.form);
  // The registration's emails speak the language the page spoke when the person accepted.
  const locale = action === "accept" ? pageLanguage(c, await contactOf(c.env.DB, write.me)) : undefined;
  const result = await actOnSeat(c.env, write.me, sessionId, action as SeatAction, c.req.url, c.var.clock.now(), { ...answering, locale });
  // A priced session: off to pay for the seat held.
  if (result.ok && result.value.checkoutUrl) return c.redirect(result.value.checkoutUrl, 303);
  // Answers refused (or the questions changed meanwhile): the page again, the answers kept and each refusal beside its question.
  if (result.ok && (result.value.errors || result.value.refusal === "form_changed"))
    return myPage(c, write.me, undefined, { sessionId, answers: answering.answers ?? {}, errors: result.value.errors ?? [] });
  const refusal = result.ok ? result.value.refusal : "failed";
  return c.redirect(refusal ? "/p/me?refused" : `/p/me?done=${action}`, 303);
});

participantPages.get("/p/me/sessions/:sessionId/calendar.ics", async (c) => {
  const me = await signedIn(c);
  if (me instanceof Response) return me;
  const seat = await seatIn(c.env, me, c.req.param("sessionId"));
  if (seat?.status !== "registered") {
    const locale = negotiateLocale(c);
    return message(c, locale, noticeTitles[locale].notFound, text[locale].unknownOrg, 404);
  }
  const host = new URL(c.req.url).hostname || "rollcall";
  const ics = sessionCalendar({
    method: "PUBLISH",
    // The same event as the confirmation email's file: a calendar that has it updates it.
    uid: `${seat.sessionId}@${host}`,
    title: seat.title,
    description: seat.title,
    startsAt: seat.startsAt,
    durationMinutes: seat.durationMinutes,
    timeZone: seat.timeZone,
    location: seat.location ?? seat.onlineUrl ?? undefined,
    url: seat.onlineUrl ?? undefined,
    stamp: c.var.clock.now(),
  });
  return c.body(ics, 200, {
    "content-type": "text/calendar; charset=utf-8; method=PUBLISH",
    "content-disposition": 'attachment; filename="session.ics"',
  });
});

/** A problem the profile form cannot name more precisely. */
const invalid = (field: string): FieldProblem => ({ field, code: "invalid", message: "is not valid" });

participantPages.post("/p/me/profile", async (c) => {
  const write = await signedInWrite(c);
  if (write instanceof Response) return write;
  const read = readProfile(write.form);
  if (!read.ok) return myPage(c, write.me, { values: write.form, problems: read.problems });
  const saved = await saveProfile(c.env, write.me, read.value as ProfileInput, c.var.clock.now());
  if (!saved.ok) {
    const problems = refusedFields(saved.error).map((e) => invalid(e.path));
    return myPage(c, write.me, { values: write.form, problems: problems.length ? problems : [invalid("firstName")] });
  }
  return c.redirect("/p/me?done=profile", 303);
});

participantPages.post("/p/me/sign-out", async (c) => {
  const write = await signedInWrite(c);
  if (write instanceof Response) return write;
  await endPageSession(c.env.DB, write.me.sessionHash);
  clearPageCookie(c);
  const locale = negotiateLocale(c);
  return message(c, locale, text[locale].signedOutTitle, text[locale].signedOut, 200);
});
