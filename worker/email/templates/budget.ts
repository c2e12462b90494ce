// To an organisation's owners when its hourly mail budget ran out: what happened, that nothing is
// lost, and when sending resumes. Sent at most once an hour, and never counted against the budget.

import { urgentAllowance } from "../../orgs/mail-budget";
import { instant } from "../../time/when";
import type { MailData } from "../message";
import type { MailContent } from "./layout";
import { common, type Locale } from "./strings";

const words = {
  en: {
    subject: (org: string) => `Rollcall: ${org} reached its hourly email limit`,
    reached: (org: string, limit: number) =>
      `${org} has sent ${limit} emails this hour, the most Rollcall sends for one organisation in an hour.`,
    waiting: (at: string) => `The emails after these are not lost: they wait, and go out from ${at}.`,
    urgent: (n: number) =>
      `Codes and links people are waiting for (to confirm or manage a registration) still go out this hour, up to ${n} more.`,
    why: "The limit keeps one organisation's mail from delaying everyone's sign-in links. If you need more, contact us.",
    footer: "Sent by Rollcall.",
  },
  fr: {
    subject: (org: string) => `Rollcall : ${org} a atteint sa limite d’e-mails par heure`,
    reached: (org: string, limit: number) =>
      `${org} a envoyé ${limit} e-mails cette heure-ci, le maximum que Rollcall envoie pour une organisation en une heure.`,
    waiting: (at: string) => `Les e-mails suivants ne sont pas perdus : ils attendent, et partent à partir du ${at}.`,
    urgent: (n: number) =>
      `Les codes et les liens que des personnes attendent (pour confirmer ou gérer une inscription) partent encore cette heure-ci, jusqu’à ${n} de plus.`,
    why: "Cette limite évite que le courrier d’une organisation retarde les liens de connexion de tous. S’il vous en faut davantage, contactez-nous.",
    footer: "Envoyé par Rollcall.",
  },
};

export function mailBudgetAlert(d: MailData["mail_budget_alert"], locale: Locale): MailContent {
  const w = words[locale];
  const c = common[locale];
  return {
    lang: locale,
    subject: w.subject(d.orgName),
    preheader: w.reached(d.orgName, d.limit),
    greeting: c.hello(null),
    blocks: [
      { kind: "paragraph", text: w.reached(d.orgName, d.limit) },
      { kind: "paragraph", text: w.waiting(instant(d.resumesAt, "UTC", locale)) },
      { kind: "paragraph", text: w.urgent(urgentAllowance(d.limit)) },
      { kind: "note", text: w.why },
    ],
    footer: w.footer,
  };
}
