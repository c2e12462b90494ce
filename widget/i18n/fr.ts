// Français : les mots communs à tous les éléments et une phrase par problème de l’API, mêmes clés que en.ts.

import type { ProblemCode } from "../api/client";
import type { en } from "./en";

const problems: Record<ProblemCode, string> = {
  malformed_request: "La requête est illisible. Rechargez la page et réessayez.",
  unauthenticated: "Votre session a expiré. Rechargez la page.",
  invalid_signature: "La signature de la requête a été refusée.",
  forbidden: "Ce jeton ne le permet pas.",
  invalid_code: "Ce code n’est pas valide.",
  email_verification_required: "Confirmez votre adresse avec le code que nous y envoyons.",
  invalid_verification_code: "Ce code n’est pas celui que nous avons envoyé.",
  origin_not_allowed: "Ce site ne peut pas utiliser Rollcall pour cette organisation.",
  not_found: "Cette séance est introuvable.",
  capacity_full: "La séance est complète.",
  capacity_below_taken: "La capacité ne peut pas descendre sous le nombre de places déjà prises.",
  already_registered: "Cette adresse est déjà inscrite à la séance.",
  registration_not_open: "Les inscriptions ne sont pas encore ouvertes.",
  registration_closed: "Les inscriptions sont closes.",
  session_cancelled: "Cette séance est annulée.",
  idempotency_conflict: "Cette requête a déjà été envoyée avec d’autres valeurs. Réessayez.",
  invalid_transition: "Ce n’est plus possible : la liste a changé.",
  invitation_used: "Cette invitation a déjà été utilisée.",
  already_member: "Cette adresse est déjà membre de l’organisation.",
  last_owner: "Une organisation garde au moins un propriétaire.",
  invitation_expired: "Cette invitation a expiré.",
  invitation_cancelled: "Cette invitation a été annulée.",
  verification_code_expired: "Ce code a expiré. Demandez-en un nouveau.",
  payload_too_large: "Trop de contenu à la fois : envoyez-en moins et réessayez.",
  unsupported_media_type: "La requête est illisible. Rechargez la page et réessayez.",
  validation_failed: "Des champs manquent ou ne sont pas valides.",
  invalid_emails: "Certaines adresses ne sont pas valides.",
  too_many_recipients: "Trop d’adresses.",
  rate_limited: "Trop de tentatives. Attendez une minute et réessayez.",
  internal_error: "Une erreur s’est produite de notre côté. Réessayez.",
  unavailable: "Le service est momentanément indisponible. Réessayez dans un instant.",
  network: "Le service est injoignable. Vérifiez votre connexion et réessayez.",
};

export const fr: typeof en = {
  problems,
  loading: "Chargement…",
  error: "Une erreur s’est produite. Réessayez.",
  retry: "Réessayer",
  close: "Fermer",
  back: "Retour",
  name: "Nom",
  email: "E-mail",
  cancel: "Annuler",
  send: "Envoyer",
  remove: "Retirer",
};
