// Les mots de <rollcall-invite> en français : les mêmes clés que invite.en.ts (vérifiées par le type).

import { plural } from "../../worker/i18n/plural";
import { fr } from "../i18n/fr";
import type { inviteEn, SkipWords } from "./invite.en";

const n = (count: number, one: string, other: string) => plural("fr", count, one, other);

const why: SkipWords = {
  duplicate: "en double",
  already_invited: "déjà invitée",
  already_registered: "déjà inscrite",
  no_email: "pas d’adresse e-mail",
  phone_only: "joignable par SMS seulement : ajoutez une adresse e-mail pour l’inviter",
  deactivated: "contact désactivé",
};

export const inviteFr: typeof inviteEn = {
  ...fr,
  send: "Envoyer",
  cancel: "Annuler",
  close: "Fermer",
  addParticipant: "+ Ajouter un participant",
  addParticipants: "Ajouter des participants",
  recipients: "Adresses e-mail",
  recipientsHint: "Collez-en une ou plusieurs, séparées par des virgules, points-virgules, espaces ou retours à la ligne.",
  invalidAddress: "adresse non valide",
  invalidCount: (count) =>
    n(
      count,
      `${count} adresse n’est pas valide : corrigez-la ou retirez-la.`,
      `${count} adresses ne sont pas valides : corrigez-les ou retirez-les.`,
    ),
  count: (n, max) => `${n} / ${max}`,
  tooMany: (max) => `${max} adresses au plus à la fois.`,
  noRecipients: "Ajoutez au moins une adresse.",
  removeAddress: (a) => `Retirer ${a}`,
  editAddress: (a) => `Modifier ${a}`,
  edit: "modifier",
  discountCode: "Code de réduction",
  noDiscount: "Aucune réduction",
  percentOff: (code, percent) => `${code} (−${percent})`,
  amountOff: (code, amount) => `${code} (−${amount})`,
  holdSeat: "Réserver une place pour chaque personne",
  requireEmailMatch: "Seule l’adresse invitée peut accepter",
  requireEmailMatchHint: "Pour accepter, il faut un code envoyé à cette adresse : un lien transféré ne fonctionne pas.",
  expiresInDays: "Expire après (jours)",
  when: "Quand",
  sendNow: "Envoyer maintenant",
  sendLater: "Garder « à envoyer »",
  schedule: "Programmer",
  scheduleAt: (zone) => `Date d’envoi (heure de ${zone})`,
  goesAt: (when) => `Envoi le ${when}.`,
  scheduleFuture: "Choisissez une date et une heure à venir.",
  language: "Langue de l’invitation",
  languageHint: "Pour les personnes sans langue à elles : un contact qui en a choisi une reçoit l’invitation dans la sienne.",
  subject: "Objet",
  buttonText: "Texte du bouton",
  message: "Message",
  preview: "Aperçu",
  previewTitle: "Aperçu de l’e-mail d’invitation",
  save: "Enregistrer",
  capacityTitle: "Pas assez de places",
  capacityChange: (requested, available, from, to) =>
    `${n(requested, `${requested} invitation réserve une place`, `${requested} invitations réservent une place`)} et ${available} ${n(available, "est libre", "sont libres")}. ` +
    `${n(requested, "Inviter cette personne", "Les inviter")} fait passer la capacité de ${from} à ${to}.`,
  raiseAndSend: "Augmenter la capacité et envoyer",
  raiseAndSave: "Augmenter la capacité et enregistrer",
  created: (count) => (count ? n(count, `${count} invitation créée.`, `${count} invitations créées.`) : "Personne n’a été invité."),
  skipped: (count) => n(count, `${count} personne ignorée :`, `${count} personnes ignorées :`),
  skippedAs: (who, reason) => `${who} : ${why[reason]}`,
  moreSkipped: (count) => `… et ${count} de plus.`,
  raised: (count) => `Capacité augmentée de ${count}.`,
  choose: "Choisir parmi vos contacts",
};
