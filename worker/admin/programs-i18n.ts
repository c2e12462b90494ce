// The words of the hosted admin's program pages (programs, their invitation jobs), in English and
// French.

import type { Locale } from "../i18n/locales";

const number = (locale: Locale) => (n: number) => new Intl.NumberFormat(locale).format(n);

function strings(locale: Locale) {
  const n = number(locale);
  return locale === "fr"
    ? {
        title: "Programmes",
        none: "Aucun programme. Créez-en un par l'API (/v1/programs).",
        startsOn: "Début",
        sessions: "Sessions",
        groups: "Groupes assignés",
        noSessions: "Aucune session rattachée.",
        noGroups: "Aucun groupe assigné.",
        jobs: "Invitations",
        noJobs: "Aucune invitation envoyée par ce programme.",
        progress: (people: number, sessions: number, done: number, total: number) =>
          `Invitation de ${n(people)} ${people === 1 ? "personne" : "personnes"} à ${n(sessions)} ${sessions === 1 ? "session" : "sessions"} : ${n(done)} sur ${n(total)}`,
        finished: (at: string) => `Terminé le ${at}`,
        running: "En cours ; la page se met à jour toute seule.",
        failed: (count: number) =>
          count === 1 ? "1 invitation n'a pas pu être créée" : `${n(count)} invitations n'ont pas pu être créées`,
        failures: "Personnes non invitées",
        person: "Personne",
        session: "Session",
        reason: "Raison",
        everywhere: "Toutes les sessions",
        reasons: {
          contact_deactivated: "Contact désactivé",
          no_email: "Pas d'adresse e-mail",
          capacity_full: "Session complète",
          session_cancelled: "Session annulée",
        } as Record<string, string>,
        triggers: {
          invitations: "Invitation",
          groups: "Groupe assigné",
          members: "Membre ajouté à un groupe",
          sessions: "Session rattachée",
        } as Record<string, string>,
        back: "Programmes",
      }
    : {
        title: "Programs",
        none: "No programs yet. Create one through the API (/v1/programs).",
        startsOn: "Starts on",
        sessions: "Sessions",
        groups: "Groups assigned",
        noSessions: "No sessions attached.",
        noGroups: "No groups assigned.",
        jobs: "Invitations",
        noJobs: "Nobody has been invited through this program yet.",
        progress: (people: number, sessions: number, done: number, total: number) =>
          `Inviting ${n(people)} ${people === 1 ? "person" : "people"} to ${n(sessions)} ${sessions === 1 ? "session" : "sessions"}: ${n(done)} of ${n(total)}`,
        finished: (at: string) => `Finished ${at}`,
        running: "Running; this page updates itself.",
        failed: (count: number) => (count === 1 ? "1 invitation could not be made" : `${n(count)} invitations could not be made`),
        failures: "People not invited",
        person: "Person",
        session: "Session",
        reason: "Reason",
        everywhere: "Every session",
        reasons: {
          contact_deactivated: "Contact deactivated",
          no_email: "No email address",
          capacity_full: "Session full",
          session_cancelled: "Session cancelled",
        } as Record<string, string>,
        triggers: {
          invitations: "Invitation",
          groups: "Group assigned",
          members: "Member added to a group",
          sessions: "Session attached",
        } as Record<string, string>,
        back: "Programs",
      };
}

export type ProgramStrings = ReturnType<typeof strings>;
export const programStrings: Record<Locale, ProgramStrings> = { en: strings("en"), fr: strings("fr") };
