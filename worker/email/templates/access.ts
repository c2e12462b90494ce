// Proving control of an address: the one-time code for an invitation that requires the invited
// email, the single-use sign-in link to the hosted admin, and a participant's single-use link to
// their own page.

import { de } from "../../i18n/grammar";
import { instant } from "../../time/when";
import type { MailData } from "../message";
import type { MailContent } from "./layout";
import { common, type Locale, type MailContext, questionsNote, sessionRows } from "./strings";

const words = {
  en: {
    // No code in the subject: subjects show on lock screens and are kept in the mail log.
    codeSubject: "Your Rollcall code",
    code: (title: string, org: string | null) =>
      `Enter this code to confirm your email address and answer ${org ? `${org}’s invitation` : "your invitation"} to ${title}:`,
    codeExpires: (at: string) => `The code expires on ${at}.`,
    notYou: "If you did not ask for this, you can ignore this email.",
    signInSubject: "Your Rollcall sign-in link",
    signIn: (org: string) => `Use the button below to sign in to ${org} on Rollcall. The link works once.`,
    signInButton: "Sign in",
    signInExpires: (at: string) => `It expires on ${at}.`,
    pageSubject: (org: string) => `Your page with ${org}`,
    page: (org: string) =>
      `Open your page with ${org} to see your upcoming sessions and invitations, answer them, and update your details. The link works once, for 15 minutes.`,
    pageButton: "Open my page",
    footer: "Sent by Rollcall.",
  },
  fr: {
    codeSubject: "Votre code Rollcall",
    code: (title: string, org: string | null) =>
      `Saisissez ce code pour confirmer votre adresse e-mail et répondre à l’invitation${org ? ` ${de(org)}` : ""} à ${title} :`,
    codeExpires: (at: string) => `Le code expire le ${at}.`,
    notYou: "Si vous n’êtes pas à l’origine de cette demande, ignorez cet e-mail.",
    signInSubject: "Votre lien de connexion Rollcall",
    signIn: (org: string) => `Utilisez le bouton ci-dessous pour vous connecter à ${org} sur Rollcall. Le lien ne fonctionne qu’une fois.`,
    signInButton: "Se connecter",
    signInExpires: (at: string) => `Il expire le ${at}.`,
    pageSubject: (org: string) => `Votre espace chez ${org}`,
    page: (org: string) =>
      `Ouvrez votre espace chez ${org} pour voir vos prochaines séances et invitations, y répondre et mettre à jour vos coordonnées. Le lien ne fonctionne qu’une fois, pendant 15 minutes.`,
    pageButton: "Ouvrir mon espace",
    footer: "Envoyé par Rollcall.",
  },
};

export function oneTimeCode(d: MailData["one_time_code"], locale: Locale, ctx: MailContext): MailContent {
  const w = words[locale];
  const c = common[locale];
  return {
    lang: locale,
    subject: w.codeSubject,
    heading: ctx.org,
    preheader: w.code(d.sessionTitle, ctx.org),
    greeting: c.hello(d.name),
    blocks: [
      { kind: "paragraph", text: w.code(d.sessionTitle, ctx.org) },
      { kind: "code", code: d.code },
      { kind: "paragraph", text: w.codeExpires(instant(d.expiresAt, d.timeZone, locale)) },
      { kind: "details", rows: sessionRows(d, locale, ctx) },
      { kind: "note", text: w.notYou },
      ...questionsNote(locale, ctx),
    ],
    footer: c.footer(ctx.org),
  };
}

/** Sign-in links have no session, so their expiry is given in UTC, named as such. */
export function signIn(d: MailData["sign_in"], locale: Locale): MailContent {
  const w = words[locale];
  const c = common[locale];
  return {
    lang: locale,
    subject: w.signInSubject,
    preheader: w.signIn(d.orgName),
    greeting: c.hello(null),
    blocks: [
      { kind: "paragraph", text: w.signIn(d.orgName) },
      { kind: "button", label: w.signInButton, url: d.link },
      { kind: "paragraph", text: w.signInExpires(instant(d.expiresAt, "UTC", locale)) },
      { kind: "note", text: w.notYou },
    ],
    footer: w.footer,
  };
}

/** A participant's link to their own page: the org named in the subject, as the page names it. */
export function pageLink(d: MailData["page_link"], locale: Locale): MailContent {
  const w = words[locale];
  const c = common[locale];
  return {
    lang: locale,
    subject: w.pageSubject(d.orgName),
    heading: d.orgName,
    preheader: w.page(d.orgName),
    greeting: c.hello(null),
    blocks: [
      { kind: "paragraph", text: w.page(d.orgName) },
      { kind: "button", label: w.pageButton, url: d.link },
      { kind: "paragraph", text: w.signInExpires(instant(d.expiresAt, "UTC", locale)) },
      { kind: "note", text: w.notYou },
    ],
    footer: c.footer(d.orgName),
  };
}
