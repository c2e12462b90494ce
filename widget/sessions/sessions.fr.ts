// Les mots de <rollcall-sessions> en français : les mêmes clés que sessions.en.ts (vérifiées par le type).

import { fr } from "../i18n/fr";
import type { sessionsEn } from "./sessions.en";

export const sessionsFr: typeof sessionsEn = {
  ...fr,
  heading: "Séances à venir",
  none: "Aucune séance à venir.",
  seatsLeft: (n) => (n <= 1 ? `${n} place restante` : `${n} places restantes`),
  full: "Complet",
  waitlistOpen: "Complet — liste d’attente ouverte",
  closed: "Inscriptions closes",
  notYetOpen: "Inscriptions pas encore ouvertes",
  join: "S’inscrire",
  joinWaitlist: "Rejoindre la liste d’attente",
  joinLabel: (action, title) => `${action} : ${title}`,
  program: "Programme",
  tag: "Étiquette",
  all: "Tous",
  more: "Afficher plus",
  unknownOrg: "Aucune organisation n’a cette adresse publique.",
  unknownHost: "Personne dans cette organisation n’a cette page publique.",
  hostHeading: (name) => `Séances à venir avec ${name}`,
  with: (name) => `Avec ${name}`,
  yourTime: "Horaires affichés dans votre fuseau horaire.",
};
