// What a participant hears about their own seat: confirmed, waitlisted, promoted from the waitlist,
// and the link to manage it when they ask for it again. Each names the org and the session, and
// carries the link to cancel.

import { formatPrice } from "../../sessions/price";
import { instant, sessionTime } from "../../time/when";
import type { AnswerLine, MailData, PaidNote } from "../message";
import type { MailContent } from "./layout";
import { common, type Locale, type MailContext, questionsNote, sessionRows } from "./strings";

const words = {
  en: {
    confirmedSubject: (title: string) => `You're registered: ${title}`,
    confirmed: (title: string, org: string | null) =>
      org ? `Your seat at ${title}, organised by ${org}, is confirmed.` : `Your seat at ${title} is confirmed.`,
    cancelIntro: "Can't make it? Cancel your registration so someone else can have the seat.",
    hostingSubject: (title: string) => `You're hosting: ${title}`,
    hosting: (title: string, org: string | null) =>
      `You host ${title}${org ? `, organised by ${org},` : ""} and it counts you among its participants: one of its seats is yours.`,
    hostCancelIntro: "Won't be taking this seat? Cancel it so someone else can have it; you still host the session.",
    cancel: "Cancel my registration",
    // In the words of the cancellation email (cancellation.ts), which says what became of the payment.
    paidRefundable: (amount: string, until: string) =>
      `You paid ${amount}. If you cancel by ${until}, your payment will be refunded in full; after that, under this session's refund policy, it is not refunded.`,
    paidNotRefundable: (amount: string) =>
      `You paid ${amount}. Under this session's refund policy, your payment is not refunded if you cancel.`,
    join: "Join online",
    waitlistedSubject: (title: string) => `You're on the waitlist: ${title}`,
    waitlisted: (title: string, org: string | null, position: number | undefined) =>
      `${title}${org ? `, organised by ${org},` : ""} is full, so you are on the waitlist${position ? ` (position ${position})` : ""}. If a seat frees up, it is yours and we will email you.`,
    leave: "Leave the waitlist",
    leaveIntro: "Changed your mind? You can leave the waitlist at any time.",
    promotedSubject: (title: string) => `A seat opened up: ${title}`,
    promoted: (title: string, org: string | null) =>
      `Good news: a seat opened up and you are now registered for ${title}${org ? `, organised by ${org}` : ""}.`,
    payPromoted: (title: string, org: string | null, amount: string, until: string) =>
      `Good news: a seat opened up for ${title}${org ? `, organised by ${org}` : ""}. It is held for you until ${until}: pay ${amount} to take it. If it is not paid by then, it goes to the next person on the waitlist.`,
    pay: (amount: string) => `Pay ${amount}`,
    linkSubject: (title: string) => `Your registration: ${title}`,
    link: (title: string, org: string | null, status: "confirmed" | "waitlisted") =>
      `You asked for the link to your registration for ${title}${org ? `, organised by ${org}` : ""}. ${
        status === "confirmed" ? "Your seat is confirmed." : "You are on the waitlist."
      }`,
    notYou: "If you did not ask for it, you can ignore this email: nothing has changed.",
    yourAnswers: "Your answers:",
  },
  fr: {
    confirmedSubject: (title: string) => `Inscription confirmée : ${title}`,
    confirmed: (title: string, org: string | null) => `Votre place pour ${title}${org ? ` (${org})` : ""} est confirmée.`,
    cancelIntro: "Vous ne pourrez pas venir ? Annulez votre inscription pour libérer la place.",
    hostingSubject: (title: string) => `Vous animez : ${title}`,
    hosting: (title: string, org: string | null) =>
      `Vous animez ${title}${org ? ` (${org})` : ""} et la séance vous compte parmi ses participants : une de ses places est la vôtre.`,
    hostCancelIntro: "Vous n’occuperez pas cette place ? Annulez-la pour la libérer ; vous animez toujours la séance.",
    cancel: "Annuler mon inscription",
    paidRefundable: (amount: string, until: string) =>
      `Vous avez payé ${amount}. Si vous annulez jusqu’au ${until}, votre paiement vous sera remboursé intégralement ; ensuite, selon les conditions de remboursement de cette séance, il n’est pas remboursé.`,
    paidNotRefundable: (amount: string) =>
      `Vous avez payé ${amount}. Selon les conditions de remboursement de cette séance, votre paiement n’est pas remboursé si vous annulez.`,
    join: "Rejoindre en ligne",
    waitlistedSubject: (title: string) => `Liste d’attente : ${title}`,
    waitlisted: (title: string, org: string | null, position: number | undefined) =>
      `${title}${org ? ` (${org})` : ""} est complet : vous êtes sur la liste d’attente${position ? ` (position ${position})` : ""}. Si une place se libère, elle est pour vous et nous vous écrirons.`,
    leave: "Quitter la liste d’attente",
    leaveIntro: "Vous avez changé d’avis ? Vous pouvez quitter la liste d’attente à tout moment.",
    promotedSubject: (title: string) => `Une place s’est libérée : ${title}`,
    promoted: (title: string, org: string | null) =>
      `Bonne nouvelle : une place s’est libérée et vous êtes inscrit·e à ${title}${org ? ` (${org})` : ""}.`,
    payPromoted: (title: string, org: string | null, amount: string, until: string) =>
      `Bonne nouvelle : une place s’est libérée pour ${title}${org ? ` (${org})` : ""}. Elle vous est réservée jusqu’au ${until} : payez ${amount} pour la prendre. Sans paiement d’ici là, elle revient à la personne suivante sur la liste d’attente.`,
    pay: (amount: string) => `Payer ${amount}`,
    linkSubject: (title: string) => `Votre inscription : ${title}`,
    link: (title: string, org: string | null, status: "confirmed" | "waitlisted") =>
      `Vous avez demandé le lien de votre inscription à ${title}${org ? ` (${org})` : ""}. ${
        status === "confirmed" ? "Votre place est confirmée." : "Vous êtes sur la liste d’attente."
      }`,
    notYou: "Si vous ne l’avez pas demandé, ignorez cet e-mail : rien n’a changé.",
    yourAnswers: "Vos réponses :",
  },
};

const manageLink = (d: { baseUrl: string; manageToken: string }) => `${d.baseUrl}/m/${encodeURIComponent(d.manageToken)}`;

/** The registration form's questions and the registrant's answers (the layout escapes both). */
function answerBlocks(answers: AnswerLine[] | undefined, locale: Locale): MailContent["blocks"] {
  if (!answers?.length) return [];
  return [
    { kind: "paragraph", text: words[locale].yourAnswers },
    { kind: "details", rows: answers.map((a) => [a.label, a.value] as [string, string]) },
  ];
}

export function registrationConfirmed(d: MailData["registration_confirmed"], locale: Locale, ctx: MailContext): MailContent {
  const w = words[locale];
  // The host's own seat says that they host it, and that cancelling it leaves them hosting.
  if (d.host) return seatMail(d, locale, ctx, w.hostingSubject(d.sessionTitle), w.hosting(d.sessionTitle, ctx.org), w.hostCancelIntro);
  return seatMail(d, locale, ctx, w.confirmedSubject(d.sessionTitle), w.confirmed(d.sessionTitle, ctx.org));
}

/** On the waitlist: their place in line as the element shows it, when the message carries it. */
export function waitlisted(d: MailData["waitlisted"], locale: Locale, ctx: MailContext): MailContent {
  const w = words[locale];
  const c = common[locale];
  const sentence = w.waitlisted(d.sessionTitle, ctx.org, d.waitlistPosition);
  return {
    lang: locale,
    subject: w.waitlistedSubject(d.sessionTitle),
    heading: ctx.org,
    preheader: sentence,
    greeting: c.hello(d.name),
    blocks: [
      { kind: "paragraph", text: sentence },
      { kind: "details", rows: sessionRows(d, locale, ctx) },
      ...answerBlocks(d.answers, locale),
      { kind: "paragraph", text: w.leaveIntro },
      { kind: "button", label: w.leave, url: manageLink(d) },
      ...questionsNote(locale, ctx),
    ],
    footer: c.footer(ctx.org),
  };
}

export function promoted(d: MailData["promoted"], locale: Locale, ctx: MailContext): MailContent {
  const w = words[locale];
  return seatMail(d, locale, ctx, w.promotedSubject(d.sessionTitle), w.promoted(d.sessionTitle, ctx.org));
}

/** Where a registrant holding a seat they owe for pays: their manage link's /pay, which starts the checkout. */
export const payLink = (d: { baseUrl: string; manageToken: string }) => `${d.baseUrl}/m/${encodeURIComponent(d.manageToken)}/pay`;

/** Moved up from the waitlist of a priced session: the seat is held while they pay, with the link to pay. */
export function promotedToPay(d: MailData["promoted_to_pay"], locale: Locale, ctx: MailContext): MailContent {
  const w = words[locale];
  const c = common[locale];
  const amount = formatPrice({ amount: d.amount, currency: d.currency }, locale);
  const sentence = w.payPromoted(d.sessionTitle, ctx.org, amount, instant(d.holdUntil, d.timeZone, locale));
  return {
    lang: locale,
    subject: w.promotedSubject(d.sessionTitle),
    heading: ctx.org,
    preheader: sentence,
    greeting: c.hello(d.name),
    blocks: [
      { kind: "paragraph", text: sentence },
      { kind: "button", label: w.pay(amount), url: payLink(d) },
      { kind: "details", rows: sessionRows(d, locale, ctx) },
      ...questionsNote(locale, ctx),
    ],
    footer: c.footer(ctx.org),
  };
}

/**
 * The amount paid for a seat, and what cancelling it gives back until when: said by its
 * confirmation before the cancel link, and by the cancel page (`/m/…`) in the same words.
 */
export function paidSentence(paid: PaidNote, timeZone: string, locale: Locale): string {
  const w = words[locale];
  const amount = formatPrice({ amount: paid.amount, currency: paid.currency }, locale);
  return paid.refundUntil ? w.paidRefundable(amount, instant(paid.refundUntil, timeZone, locale)) : w.paidNotRefundable(amount);
}

function paidBlocks(d: MailData["registration_confirmed" | "promoted"], locale: Locale): MailContent["blocks"] {
  if (!("paid" in d) || !d.paid) return [];
  return [{ kind: "paragraph", text: paidSentence(d.paid, d.timeZone, locale) }];
}

/** A seat that is theirs (booked, or moved up from the waitlist): the session, its calendar file and the cancel link. */
function seatMail(
  d: MailData["registration_confirmed" | "promoted"],
  locale: Locale,
  ctx: MailContext,
  subject: string,
  sentence: string,
  cancelIntro = words[locale].cancelIntro,
): MailContent {
  const w = words[locale];
  const c = common[locale];
  const when = sessionTime(d.startsAt, d.durationMinutes, d.timeZone, locale);
  return {
    lang: locale,
    subject,
    heading: ctx.org,
    preheader: `${sentence} ${when}`,
    greeting: c.hello(d.name),
    blocks: [
      { kind: "paragraph", text: sentence },
      { kind: "details", rows: sessionRows(d, locale, ctx) },
      // The meeting link: only a seat's emails carry it (the ledger puts it in no other message).
      ...(d.onlineUrl ? [{ kind: "button" as const, label: w.join, url: d.onlineUrl }] : []),
      ...answerBlocks("answers" in d ? d.answers : undefined, locale),
      { kind: "paragraph", text: c.calendar },
      ...paidBlocks(d, locale),
      { kind: "paragraph", text: cancelIntro },
      { kind: "button", label: w.cancel, url: manageLink(d) },
      ...questionsNote(locale, ctx),
    ],
    footer: c.footer(ctx.org),
  };
}

export function manageLinkMail(d: MailData["manage_link"], locale: Locale, ctx: MailContext): MailContent {
  const w = words[locale];
  const c = common[locale];
  const confirmed = d.status === "confirmed";
  return {
    lang: locale,
    subject: w.linkSubject(d.sessionTitle),
    heading: ctx.org,
    preheader: w.link(d.sessionTitle, ctx.org, d.status),
    greeting: c.hello(d.name),
    blocks: [
      { kind: "paragraph", text: w.link(d.sessionTitle, ctx.org, d.status) },
      { kind: "details", rows: sessionRows(d, locale, ctx) },
      { kind: "paragraph", text: confirmed ? w.cancelIntro : w.leaveIntro },
      { kind: "button", label: confirmed ? w.cancel : w.leave, url: manageLink(d) },
      { kind: "note", text: w.notYou },
      ...questionsNote(locale, ctx),
    ],
    footer: c.footer(ctx.org),
  };
}
