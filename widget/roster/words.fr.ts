// Les mots de l'éditeur de l'e-mail d'invitation en français : les mêmes clés que words.en.ts (vérifiées par le type).

import { fr } from "../i18n/fr";
import type { wordsEn } from "./words.en";

export const wordsFr: typeof wordsEn = {
  ...fr,
  title: (who) => `L’e-mail pour ${who}`,
  hint: "Un champ laissé vide garde les mots de l’e-mail, dans la langue de la personne.",
  subject: "Objet",
  buttonText: "Bouton",
  message: "Message",
  messageHint: "Cité dans l’e-mail, après sa première phrase.",
  saveAndSend: "Enregistrer et envoyer",
  save: "Enregistrer",
  close: "Fermer",
  gone: "Cette invitation n’est plus à envoyer : elle a été envoyée ou annulée entre-temps.",
};
