// Les mots du sélecteur de participants en français : les mêmes clés que picker.en.ts (vérifiées par le type).

import { plural } from "../../worker/i18n/plural";
import { fr } from "../i18n/fr";
import type { pickerEn } from "./picker.en";

const n = (count: number, one: string, other: string) => plural("fr", count, one, other);
const people = (count: number) => n(count, `${count} personne`, `${count} personnes`);

export const pickerFr: typeof pickerEn = {
  ...fr,
  title: "Choisir parmi vos contacts",
  picked: (count) => n(count, `${count} personne choisie parmi vos contacts`, `${count} personnes choisies parmi vos contacts`),
  removePicked: "Retirer les personnes choisies",
  people,
  search: "Rechercher par nom ou e-mail",
  filters: "Filtres",
  group: "Groupe",
  anyGroup: "Tous les groupes",
  type: "Type",
  tag: "Étiquette",
  wholeGroups: "Groupes entiers",
  wholeGroupsChosen: (count) => `Groupes entiers (${n(count, `${count} choisi`, `${count} choisis`)})`,
  groupChoice: (name, count) => `${name} (${people(count)})`,
  results: "Personnes",
  keys: "Les flèches parcourent la liste, Espace sélectionne ou retire une personne.",
  matches: (count) => (count ? n(count, `${count} personne correspond.`, `${count} personnes correspondent.`) : "Personne ne correspond."),
  selectAll: (count) => `Sélectionner les ${count} résultats`,
  tooManyToSelect: (max) => `Plus de ${max} résultats : affinez la recherche pour tout sélectionner.`,
  clear: "Tout désélectionner",
  more: "Afficher plus",
  noEmail: "pas d’adresse e-mail",
  inChosenGroup: "dans un groupe choisi",
  chosen: (count, max) => `${n(count, `${people(count)} choisie`, `${people(count)} choisies`)} sur ${max}`,
  over: (max) => `${max} personnes au plus à la fois : retirez des personnes ou un groupe.`,
  withoutEmail: (count) =>
    n(
      count,
      `${count} personne choisie n’a pas d’adresse e-mail et ne sera pas invitée.`,
      `${count} personnes choisies n’ont pas d’adresse e-mail et ne seront pas invitées.`,
    ),
  added: (who, count, max) => `${who} : dans la sélection, ${count} sur ${max}.`,
  removed: (who, count, max) => `${who} : hors de la sélection, ${count} sur ${max}.`,
  done: "Valider",
};
