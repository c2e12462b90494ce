// Français : les mots communs à tous les éléments, mêmes clés que en.ts.

import type { en } from "./en";

export const fr: typeof en = {
  loading: "Chargement…",
  error: "Une erreur s’est produite. Réessayez.",
  retry: "Réessayer",
  back: "Retour",
  name: "Nom",
  email: "E-mail",
  offline: "Hors ligne. Reconnexion…",
};
