// The words of the hosted admin about hosts (the session's host, the org's settings for hosts,
// viewing the admin as a host sees it), in English and French, in a file of their own.

import { capitalised, de } from "../i18n/grammar";
import type { Locale } from "../i18n/locales";

const en = {
  /** The org's word for a host, when it chose none. */
  defaultLabel: "host",
  hostField: "Host",
  hostHint: (label: string) => `The ${label} who runs this session: they see it, its roster and its messages in their admin.`,
  noHost: "Nobody",
  hostTerm: (label: string) => capitalised(label),
  mySessions: "My sessions",
  settingsTitle: (label: string) => `${capitalised(label)}s`,
  settingsHint: "Members with the host role see only the sessions they host, with their rosters.",
  hostLabel: "What your organisation calls a host",
  hostLabelHint: "For example mentor, trainer or coach. Empty: host.",
  canCreate: (label: string) => `${capitalised(label)}s may create sessions (which they then host)`,
  canInvite: (label: string) => `${capitalised(label)}s may invite people to their sessions, from the organisation's contacts`,
  viewAs: "View as",
  viewAsLabel: (email: string) => `View the admin as ${email} sees it`,
  viewingAs: (email: string) => `Viewing as ${email}: read-only.`,
  backToYourView: "Back to your view",
  readOnly: "You are viewing the admin as a host sees it: nothing can be changed from this view.",
  notYours: "A host sees only the sessions they host; this page is for the organisation's owners and admins.",
  attending: "You are attending!",
  youHost: "You host this session.",
};

type HostStrings = typeof en;

const fr: HostStrings = {
  defaultLabel: "hôte",
  hostField: "Hôte",
  hostHint: (label) => `Qui anime cette séance (${label}) : la séance, sa liste et ses messages apparaissent dans son administration.`,
  noHost: "Personne",
  hostTerm: (label) => capitalised(label),
  mySessions: "Mes séances",
  settingsTitle: (label) => `${capitalised(label)}s`,
  settingsHint: "Les membres au rôle d’hôte ne voient que les séances qu’ils animent, avec leurs listes.",
  hostLabel: "Le nom que votre organisation donne aux hôtes",
  hostLabelHint: "Par exemple mentor, formateur ou coach. Vide : hôte.",
  canCreate: (label) => `Les ${label}s peuvent créer des séances (qu’ils animent alors)`,
  canInvite: (label) => `Les ${label}s peuvent inviter des personnes à leurs séances, parmi les contacts de l’organisation`,
  viewAs: "Voir en tant que",
  viewAsLabel: (email) => `Voir l’administration comme ${email} la voit`,
  viewingAs: (email) => `Vue ${de(email)} : lecture seule.`,
  backToYourView: "Revenir à votre vue",
  readOnly: "Vous voyez l’administration comme un hôte la voit : rien ne peut être modifié depuis cette vue.",
  notYours: "Un hôte ne voit que les séances qu’il anime ; cette page est réservée aux propriétaires et admins de l’organisation.",
  attending: "Vous participez !",
  youHost: "Vous animez cette séance.",
};

export const hostStrings: Record<Locale, HostStrings> = { en, fr };
