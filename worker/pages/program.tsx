// The program page (/programs/i/{token}), linked from the program invitation email: the sessions of
// the program this person was invited to, each with their status there (invited, full,
// registered, waitlisted, declined, closed, or held while they pay), "Accept all", and accept or
// decline per session (a priced one: accept and pay, one checkout per session). The
// token in the URL is the credential (like /m/{token}); the buttons are plain form posts that
// redirect back to the page (POST/redirect/GET), so it works without JavaScript. Each session's
// ledger decides the seat: a full session puts them on its waitlist, or refuses, and the page
// shows which.

import type { Context } from "hono";
import { Hono } from "hono";
import type { Outcome } from "../errors/problem";
import type { AppEnv } from "../http/context";
import { isLocale, type Locale } from "../i18n/locales";
import { negotiateLocale } from "../i18n/negotiate";
import type { ProgramSeatStatus, ProgramSessionSeat } from "../invitations/program";
import { answerSeat, withPriceToPay } from "../payments/checkout";
import { type ProgramLink, programLink } from "../programs/links";
import { sessionLedger } from "../sessions/ledger-client";
import { formatPrice, type Price } from "../sessions/price";
import { instant, sessionTime } from "../time/when";
import { CheckoutReturn } from "./checkout-return";
import { AcceptQuestions, type Answered, postedAnswering } from "./form-fields";
import { HostedPage, NoticePage, noticeTitles, seatStyles as styles } from "./layout";

const text = {
  en: {
    invalidLink: "This link is not valid.",
    expired: "This program is over: its link no longer opens it.",
    invites: (org: string, name: string | null) =>
      name ? `${name}, ${org} invites you to these sessions.` : `${org} invites you to these sessions.`,
    acceptAll: "Accept all",
    acceptAllNote: "Accepts every session still waiting for your answer. A full session puts you on its waitlist when it has one.",
    acceptAllPriced: "Sessions with a price are accepted one at a time, with their payment.",
    acceptAllQuestions: "Sessions that ask questions are accepted one at a time, with your answers.",
    fixAnswers: "To accept, answer the session’s questions: see below.",
    accept: "Accept",
    acceptAndPay: (price: string) => `Accept and pay ${price}`,
    price: (price: string) => `Price: ${price}`,
    where: (place: string) => `Where: ${place}`,
    answerBy: (until: string) => `Invitation valid until ${until}`,
    paymentsUnavailable: "Payments are not set up here, so this session cannot be paid for now. No seat was held for you.",
    pay: (price: string) => `Pay ${price}`,
    payFailed: "The payment could not be started; nothing was charged. Try again in a moment.",
    joinWaitlist: "Join the waitlist",
    decline: "Decline",
    saved: "Your answers are saved. Each session's status is below.",
    none: "There is no session to answer here.",
    status: "Status: ",
    when: "When",
    statuses: {
      invited: "Invited",
      full: "Full",
      registered: "Registered, your seat is confirmed",
      waitlisted: "On the waitlist",
      declined: "Invitation declined",
      closed: "Closed",
      held: "Seat held while you pay",
    } satisfies Record<ProgramSeatStatus, string>,
    position: (n: number) => `position ${n}`,
    fullNote: (waitlist: boolean) =>
      waitlist ? "No seat is free: accepting puts you on the waitlist." : "No seat is free, and there is no waitlist.",
    personal: "This page is personal: whoever holds its link can answer for you.",
  },
  fr: {
    invalidLink: "Ce lien n’est pas valide.",
    expired: "Ce programme est terminé : son lien ne l’ouvre plus.",
    invites: (org: string, name: string | null) =>
      name ? `${name}, ${org} vous invite à ces séances.` : `${org} vous invite à ces séances.`,
    acceptAll: "Tout accepter",
    acceptAllNote:
      "Accepte chaque séance qui attend encore votre réponse. Une séance complète vous inscrit sur sa liste d’attente quand elle en a une.",
    acceptAllPriced: "Les séances payantes s’acceptent une à une, avec leur paiement.",
    acceptAllQuestions: "Les séances qui posent des questions s’acceptent une à une, avec vos réponses.",
    fixAnswers: "Pour accepter, répondez aux questions de la séance : voir ci-dessous.",
    accept: "Accepter",
    acceptAndPay: (price: string) => `Accepter et payer ${price}`,
    price: (price: string) => `Prix : ${price}`,
    where: (place: string) => `Lieu : ${place}`,
    answerBy: (until: string) => `Invitation valable jusqu’au ${until}`,
    paymentsUnavailable:
      "Les paiements ne sont pas configurés ici : cette séance ne peut pas être payée pour l’instant. Aucune place ne vous a été réservée.",
    pay: (price: string) => `Payer ${price}`,
    payFailed: "Le paiement n’a pas pu commencer ; rien n’a été débité. Réessayez dans un instant.",
    joinWaitlist: "Rejoindre la liste d’attente",
    decline: "Refuser",
    saved: "Vos réponses sont enregistrées. Le statut de chaque séance figure ci-dessous.",
    none: "Il n’y a aucune séance à laquelle répondre ici.",
    status: "Statut : ",
    when: "Quand",
    statuses: {
      invited: "Invité·e",
      full: "Complet",
      registered: "Inscrit·e, votre place est confirmée",
      waitlisted: "Sur la liste d’attente",
      declined: "Invitation refusée",
      closed: "Fermé",
      held: "Place réservée le temps du paiement",
    } satisfies Record<ProgramSeatStatus, string>,
    position: (n: number) => `position ${n}`,
    fullNote: (waitlist: boolean) =>
      waitlist
        ? "Aucune place n’est libre : accepter vous inscrit sur la liste d’attente."
        : "Aucune place n’est libre, et il n’y a pas de liste d’attente.",
    personal: "Cette page est personnelle : la personne qui détient son lien peut répondre à votre place.",
  },
} satisfies Record<Locale, Record<string, unknown>>;

type Seat = ProgramSessionSeat & { toPay: Price | null };

/**
 * "Accept all" takes the free sessions that ask no questions; each priced one keeps its own "Accept
 * and pay" button, and each that asks questions its own form.
 */
const inAcceptAll = (s: Seat) => s.canAccept && s.price === null && s.form === null;

export const programPages = new Hono<AppEnv>();

// Its headers and its per-client limits are the hosted pages' own (PAGE_PATHS in routes.tsx).

function notice(c: Context<AppEnv>, locale: Locale, kind: "over" | "invalidLink", status: 404 | 410) {
  const message = kind === "over" ? text[locale].expired : text[locale].invalidLink;
  return c.html(<NoticePage locale={locale} title={noticeTitles[locale][kind]} body={message} />, status);
}

/** The link's program and person, or the page that says why there are none. */
async function opened(c: Context<AppEnv>): Promise<{ link: ProgramLink; locale: Locale } | Response> {
  const found = await programLink(c.env.DB, c.req.param("token") ?? "", c.var.clock.now());
  const fallback = found && found !== "expired" && isLocale(found.locale) ? found.locale : null;
  const locale = negotiateLocale(c, fallback);
  if (found === "expired") return notice(c, locale, "over", 410);
  if (!found) return notice(c, locale, "invalidLink", 404);
  return { link: found, locale };
}

/**
 * Each named session's ledger, for this person; a session gone from the org is left out. A priced
 * one they may accept says what accepting costs them (`toPay`: the price less their invitation's code).
 */
async function seatsOf(env: Env, link: ProgramLink, now: Date): Promise<Seat[]> {
  const answers = (await Promise.all(
    link.sessionIds.map((id) => sessionLedger(env, id).programSeat(link.orgId, link.email)),
  )) as Outcome<ProgramSessionSeat>[];
  return withPriceToPay(
    env.DB,
    link.orgId,
    answers.flatMap((a) => (a.ok ? [a.value] : [])),
    now,
  );
}

programPages.get("/programs/i/:token", async (c) => {
  const open = await opened(c);
  if (open instanceof Response) return open;
  return programPage(c, open.link, open.locale);
});

/** The program as this person sees it; `answered`: a session's answers refused, said beside its questions (422). */
async function programPage(c: Context<AppEnv>, link: ProgramLink, locale: Locale, answered?: Answered) {
  const t = text[locale];
  const seats = await seatsOf(c.env, link, c.var.clock.now());
  const action = (suffix: string) => `/programs/i/${encodeURIComponent(c.req.param("token") ?? "")}${suffix}`;
  return c.html(
    <HostedPage locale={locale} title={link.programName}>
      <div class="card">
        <h1 style="overflow-wrap:anywhere">{link.programName}</h1>
        <p>{t.invites(link.orgName, link.name)}</p>
        {answered ? <p role="status">{t.fixAnswers}</p> : c.req.query("answered") !== undefined && <p role="status">{t.saved}</p>}
        <CheckoutReturn locale={locale} result={c.req.query("rollcall_checkout")} />
        {c.req.query("unpaid") !== undefined && (
          <p role="alert" class="error">
            {t.paymentsUnavailable}
          </p>
        )}
        {c.req.query("payfailed") !== undefined && (
          <p role="alert" class="error">
            {t.payFailed}
          </p>
        )}
        {seats.some(inAcceptAll) && (
          <form method="post" action={action("/accept-all")}>
            <button type="submit" style={styles.primary}>
              {t.acceptAll}
            </button>
            <p class="muted">
              {t.acceptAllNote}
              {seats.some((s) => s.canAccept && s.price) ? ` ${t.acceptAllPriced}` : ""}
              {seats.some((s) => s.canAccept && s.form) ? ` ${t.acceptAllQuestions}` : ""}
            </p>
          </form>
        )}
        {seats.length === 0 && <p>{t.none}</p>}
        <ul style={styles.list}>
          {seats.map((s) => (
            <li style={styles.item} data-session={s.sessionId} data-status={s.status}>
              <strong>{s.title}</strong>
              <div>{sessionTime(s.startsAt, s.durationMinutes, s.timeZone, locale)}</div>
              <div>
                {t.status}
                {t.statuses[s.status]}
                {s.status === "waitlisted" && s.waitlistPosition ? ` (${t.position(s.waitlistPosition)})` : ""}
              </div>
              {s.location && <div>{t.where(s.location)}</div>}
              {s.price && <div>{t.price(formatPrice(s.price, locale))}</div>}
              {s.answerBy && <div>{t.answerBy(instant(s.answerBy, s.timeZone, locale))}</div>}
              {s.status === "full" && <p class="muted">{t.fullNote(s.canAccept)}</p>}
              {s.awaitingPayment && (
                <form method="post" action={action(`/sessions/${encodeURIComponent(s.sessionId)}`)} style={styles.actions}>
                  <button type="submit" name="answer" value="pay" style={styles.primary}>
                    {t.pay(formatPrice(s.awaitingPayment.owed, locale))}
                  </button>
                </form>
              )}
              {(s.canAccept || s.canDecline) && (
                <form method="post" action={action(`/sessions/${encodeURIComponent(s.sessionId)}`)} style={styles.actions} novalidate>
                  {s.canAccept && s.form && <AcceptQuestions sessionId={s.sessionId} form={s.form} locale={locale} answered={answered} />}
                  {s.canAccept && (
                    <button type="submit" name="answer" value="accept" style={styles.primary}>
                      {s.status === "full" ? t.joinWaitlist : s.toPay ? t.acceptAndPay(formatPrice(s.toPay, locale)) : t.accept}
                    </button>
                  )}
                  {s.canDecline && (
                    <button type="submit" name="answer" value="decline" style={styles.secondary}>
                      {t.decline}
                    </button>
                  )}
                </form>
              )}
            </li>
          ))}
        </ul>
        <p class="muted">{t.personal}</p>
      </div>
    </HostedPage>,
    answered ? 422 : 200,
  );
}

/** Back to the page after an answer (POST/redirect/GET): reloading it answers nothing again. */
const backTo = (c: Context<AppEnv>) => c.redirect(`/programs/i/${encodeURIComponent(c.req.param("token") ?? "")}?answered`, 303);

programPages.post("/programs/i/:token/accept-all", async (c) => {
  const open = await opened(c);
  if (open instanceof Response) return open;
  const { link, locale } = open;
  const seats = await seatsOf(c.env, link, c.var.clock.now());
  // A priced session is left open, with its own button: one checkout pays for one session.
  // The registrations' emails speak the language the page spoke.
  await Promise.all(
    seats.filter(inAcceptAll).map((s) => sessionLedger(c.env, s.sessionId).answerProgramSeat(link.orgId, link.email, "accept", { locale })),
  );
  return backTo(c);
});

programPages.post("/programs/i/:token/sessions/:sessionId", async (c) => {
  const open = await opened(c);
  if (open instanceof Response) return open;
  const { link, locale } = open;
  const sessionId = c.req.param("sessionId");
  // Every value of a repeated name (a multiple-choice question's boxes).
  const form = await c.req.parseBody({ all: true });
  const answer = form.answer;
  // Only a session this person's program emails named: another program's, or another person's, is not theirs to answer.
  if (!link.sessionIds.includes(sessionId) || (answer !== "accept" && answer !== "decline" && answer !== "pay"))
    return notice(c, locale, "invalidLink", 404);
  // Accepting a priced seat holds it while the person pays, and sends them to checkout; they come back here.
  const page = `${new URL(c.req.url).origin}/programs/i/${encodeURIComponent(c.req.param("token") ?? "")}`;
  const ledger = sessionLedger(c.env, sessionId);
  // Accepting answers the session's questions, read as its form names them.
  const seat = answer === "accept" ? ((await ledger.programSeat(link.orgId, link.email)) as Outcome<ProgramSessionSeat>) : null;
  const answering = postedAnswering(seat?.ok ? seat.value.form : null, form);
  const answered = await answerSeat(c.env, ledger, {
    orgId: link.orgId,
    email: link.email,
    answer,
    url: c.req.url,
    sessionId,
    returnUrl: page,
    now: c.var.clock.now(),
    answering,
    locale,
  });
  // Answers refused (or the questions changed meanwhile): the page again, the answers kept and each refusal beside its question.
  if (answered.errors || answered.refusal === "form_changed")
    return programPage(c, link, locale, { sessionId, answers: answering.answers ?? {}, errors: answered.errors ?? [] });
  if (answered.checkoutUrl) return c.redirect(answered.checkoutUrl, 303);
  // A checkout that failed for a moment says so, not that payments are not set up.
  if ((answer === "pay" && answered.refusal) || answered.refusal === "checkout_failed") return c.redirect(`${page}?payfailed`, 303);
  if (answered.refusal === "payments_unavailable") return c.redirect(`${page}?unpaid`, 303);
  return backTo(c);
});
