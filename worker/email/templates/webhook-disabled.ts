// To an organisation's owners when one of its webhook endpoints was disabled because every delivery
// to it failed for 3 days: which endpoint, that events are no longer sent to it, and how to turn it
// back on. Never counted against the mail budget (it is not a participant's email).

import { de } from "../../i18n/grammar";
import { instant } from "../../time/when";
import type { MailData } from "../message";
import type { MailContent } from "./layout";
import { common, type Locale } from "./strings";

const words = {
  en: {
    subject: (org: string) => `Rollcall: a webhook endpoint of ${org} was disabled`,
    what: (url: string, since: string) =>
      `Every delivery to ${url} has failed since ${since}, so Rollcall has stopped sending events to it.`,
    how: "Fix the endpoint, then enable it again under Settings → Webhooks, where its delivery log shows what it answered.",
    footer: "Sent by Rollcall.",
  },
  fr: {
    subject: (org: string) => `Rollcall : un point de terminaison webhook ${de(org)} a été désactivé`,
    what: (url: string, since: string) =>
      `Toutes les livraisons vers ${url} échouent depuis le ${since} : Rollcall a cessé de lui envoyer des événements.`,
    how: "Corrigez-le, puis réactivez-le dans Paramètres → Webhooks, où son journal de livraisons montre ce qu’il a répondu.",
    footer: "Envoyé par Rollcall.",
  },
};

export function webhookDisabled(d: MailData["webhook_disabled"], locale: Locale): MailContent {
  const w = words[locale];
  const c = common[locale];
  const since = instant(d.failingSince, "UTC", locale);
  return {
    lang: locale,
    subject: w.subject(d.orgName),
    preheader: w.what(d.url, since),
    greeting: c.hello(null),
    blocks: [
      { kind: "paragraph", text: w.what(d.url, since) },
      { kind: "paragraph", text: w.how },
    ],
    footer: w.footer,
  };
}
