// Les mots de <rollcall-join> en français : les mêmes clés que join.en.ts (vérifiées par le type).

import { fr } from "../i18n/fr";
import type { joinEn } from "./join.en";

export const joinFr: typeof joinEn = {
  ...fr,
  seatsLeft: (n) => (n <= 1 ? `${n} place restante` : `${n} places restantes`),
  moreNeeded: (n) => `Il manque ${n} participant${n > 1 ? "s" : ""} pour que la séance ait lieu.`,
  yourTime: "Horaires affichés dans votre fuseau horaire.",
  localTime: (time, zone) => `Heure de la séance : ${time} (${zone}).`,
  zoneNamed: (zone) => `Fuseau horaire de la séance : ${zone}.`,
  notYetOpen: (date) => `Les inscriptions ouvrent le ${date}.`,
  waitlistOpen: "La séance est complète. La liste d’attente est ouverte.",
  full: "La séance est complète.",
  closed: "Les inscriptions sont closes.",
  cancelled: "Cette séance est annulée.",
  join: "S’inscrire",
  joinWaitlist: "Rejoindre la liste d’attente",
  code: "Code d’inscription",
  discountCode: "Code de réduction (facultatif)",
  register: "Valider l’inscription",
  required: "Obligatoire.",
  requiredNote: "Les champs marqués d’un * sont obligatoires.",
  attending: "Vous participez !",
  waitlisted: (n) => (n ? `Vous êtes sur la liste d’attente (position ${n}).` : "Vous êtes sur la liste d’attente."),
  checkEmail: "Une confirmation arrive dans votre boîte mail.",
  linkByEmail: "Le lien de la réunion est dans votre e-mail de confirmation.",
};
