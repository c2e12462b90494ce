// Les mots de l’invitation de <rollcall-join> en français : les mêmes clés qu’invitation.ts (vérifiées par le type).

import type { invitationEn } from "./invitation";

export const invitationFr: typeof invitationEn = {
  invited: "Vous êtes invité·e",
  seatUntil: (date) => `Votre place est réservée jusqu’au ${date}.`,
  validUntil: (date) => `Cette invitation est valable jusqu’au ${date}.`,
  discount: (code) => `Code de réduction : ${code}`,
  discountPrice: (code, toPay, full) => `Code de réduction ${code} : vous payez ${toPay} au lieu de ${full}.`,
  discountFree: (code) => `Code de réduction ${code} : la séance est gratuite pour vous.`,
  acceptWaitlist: "La séance est complète : en acceptant, vous rejoignez la liste d’attente.",
  decline: "Refuser",
  declineAsk: "Refuser l’invitation ?",
  declineSeat: "La place réservée pour vous ira à quelqu’un d’autre.",
  declineYes: "Oui, refuser",
  declined: "Vous avez refusé l’invitation.",
  changedMind: "Vous avez changé d’avis ? Vous pouvez encore rouvrir l’invitation depuis cette page.",
  reopen: "Rouvrir l’invitation",
  alreadyAccepted: "Cette invitation a déjà été acceptée.",
  accept: "Accepter",
  otpExplain: (masked) =>
    `Pour accepter, confirmez que vous lisez les e-mails envoyés à ${masked} : nous vous envoyons un code à usage unique.`,
  sendCode: "M’envoyer un code",
  codeEmailed: (masked) => `Nous vous avons envoyé un code par e-mail à ${masked}.`,
  codeTexted: (masked) => `Nous vous avons envoyé un code par SMS au ${masked}.`,
  otp: "Code à usage unique",
  otpFormat: "Saisissez les six chiffres reçus par e-mail.",
  otpFormatTexted: "Saisissez les six chiffres reçus par SMS.",
  emailOptional: (masked) => `Laissez vide pour utiliser l’adresse à laquelle l’invitation a été envoyée (${masked}).`,
};
