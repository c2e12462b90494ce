// Every word of the hosted admin, in English and French, and the choice between them: the
// visitor's own preference when their browser names one of the two, else the org's default
// language, else English.

import type { Role } from "../auth/admin-sessions";

export type Locale = "en" | "fr";

/** The first of English or French in the visitor's Accept-Language, by preference. */
export function preferredLocale(acceptLanguage: string | undefined): Locale | null {
  const ranked = (acceptLanguage ?? "")
    .split(",")
    .map((part, index) => {
      const [tag = "", ...params] = part.trim().toLowerCase().split(";");
      const q = Number(
        params
          .find((p) => p.trim().startsWith("q="))
          ?.trim()
          .slice(2) ?? 1,
      );
      return { lang: tag.split("-")[0], q: Number.isFinite(q) ? q : 0, index };
    })
    .filter((r) => r.q > 0 && (r.lang === "en" || r.lang === "fr"))
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return (ranked[0]?.lang as Locale | undefined) ?? null;
}

export function adminLocale(acceptLanguage: string | undefined, orgDefault?: Locale): Locale {
  return preferredLocale(acceptLanguage) ?? orgDefault ?? "en";
}

const en = {
  product: "Rollcall admin",
  skip: "Skip to content",
  nav: { label: "Admin sections", sessions: "Sessions", keys: "API keys", settings: "Settings", members: "Members" },
  signedInAs: (email: string, role: Role) => `Signed in as ${email} (${role === "owner" ? "owner" : "admin"})`,
  signOut: "Sign out",
  required: "required",
  optional: "optional",
  save: "Save",
  cancel: "Cancel",
  back: "Back",
  fixErrors: "Some fields need your attention.",
  errors: {
    notFound: "This page does not exist, or belongs to another organisation.",
    signedOut: "You are signed out. Sign in again to continue.",
    csrf: "This form has expired. Go back, reload the page and try again.",
    origin: "This request came from another website and was refused.",
    generic: "Something went wrong on our side. Try again in a moment.",
    rateLimited: (seconds: number) => `Too many attempts. Try again in ${seconds} seconds.`,
  },
  signIn: {
    title: "Sign in",
    intro: "Enter the email address of your Rollcall account. We will email you a link that signs you in. It works once, for 15 minutes.",
    email: "Email address",
    submit: "Email me a sign-in link",
    invalidEmail: "Enter an email address such as ada@example.org.",
    sentTitle: "Check your inbox",
    sent: (email: string) =>
      `If ${email} belongs to a member of an organisation on Rollcall, a sign-in link is on its way. It works once, for 15 minutes.`,
    again: "Use another address",
    signedOut: "You are signed out.",
  },
  link: {
    signInTitle: (org: string) => `Sign in to ${org}`,
    inviteTitle: (org: string) => `Join ${org}`,
    as: (email: string) => `You will be signed in as ${email}.`,
    invited: (email: string) => `You are invited to help run this organisation's sessions on Rollcall, as ${email}.`,
    signIn: "Sign in",
    accept: "Accept and sign in",
    spentTitle: "This link no longer works",
    spent: "It has been used already, or it has expired. Sign-in links work once, for 15 minutes.",
    unknown: "This link is not valid. Check that you copied all of it.",
    askAgain: "Get a new sign-in link",
  },
  sessions: {
    title: "Sessions",
    upcoming: "Upcoming",
    past: "Past",
    new: "New session",
    none: "No sessions here yet.",
    nextPage: "More sessions",
    seatsTaken: (taken: number, capacity: number) => `${taken} of ${capacity} seats taken`,
    seatsLabel: "Seats taken",
    waitlisted: (n: number) => `${n} on the waitlist`,
    minReached: (min: number) => `Minimum of ${min} reached`,
    minMissing: (missing: number, min: number) => `${missing} more needed to reach the minimum of ${min}`,
    state: {
      not_yet_open: "Registration not open yet",
      open: "Registration open",
      full: "Full",
      closed: "Registration closed",
      cancelled: "Cancelled",
    } as Record<string, string>,
  },
  form: {
    newTitle: "New session",
    editTitle: (title: string) => `Edit “${title}”`,
    title: "Title",
    description: "Description",
    startsAt: "Starts at",
    timeZone: "Time zone",
    timeZoneHint: "Dates and times on this form are in this time zone.",
    durationMinutes: "Duration (minutes)",
    minParticipants: "Minimum participants",
    maxParticipants: "Capacity (maximum participants)",
    hostCountsAsParticipant: "The host takes a seat",
    registrationOpensAt: "Registration opens",
    registrationOpensHint: "Leave empty to open registration now.",
    registrationClosesAt: "Registration closes",
    registrationClosesHint: "Leave empty to close registration when the session starts.",
    registrationCode: "Registration code",
    registrationCodeHint: "When set, people need this code to register themselves.",
    waitlist: "Keep a waitlist when the session is full",
    create: "Create session",
    invalidDateTime: "Enter a date and a time.",
    invalid: {
      title: "Enter a title, at most 200 characters.",
      description: "At most 5,000 characters.",
      timeZone: "Choose a time zone from the list.",
      durationMinutes: "Enter a whole number of minutes, at least 1.",
      minParticipants: "Enter a whole number, 0 or more.",
      maxParticipants: "Enter a whole number from 1 to 10,000.",
      registrationCode: "At most 64 characters.",
    } as Record<string, string>,
    mismatch: {
      minParticipants: "Must not be more than the capacity.",
      maxParticipants: "Must leave at least one seat besides the host.",
      registrationOpensAtLocal: "Must be before registration closes.",
      registrationClosesAtLocal: "Must not be after the session ends.",
    } as Record<string, string>,
  },
  session: {
    edit: "Edit",
    cancelSession: "Cancel this session",
    cancelTitle: (title: string) => `Cancel “${title}”?`,
    cancelIntro: "Everyone registered is told by email. This cannot be undone.",
    cancelConfirm: "Yes, cancel the session",
    keep: "Keep the session",
    when: "When",
    duration: (minutes: number) => `${minutes} minutes`,
    seats: "Seats",
    share: "Share",
    publicUrl: "Public page",
    embed: "Embed on your website",
    embedHint: "Paste this into any web page to show a Join button.",
    roster: "Roster",
    noScript: "The roster and invitations need JavaScript.",
    registrationCode: (code: string) => `Registration code: ${code}`,
  },
  keys: {
    title: "API keys",
    intro: "API keys let your own systems call the Rollcall API. Keep them secret.",
    label: "Label",
    labelInvalid: "Give the key a label of at most 100 characters, such as “Website”.",
    create: "Create a key",
    none: "No keys yet.",
    prefix: "Key",
    created: "Created",
    lastUsed: "Last used",
    never: "Never",
    status: "Status",
    active: "Active",
    revoked: "Revoked",
    revoke: "Revoke",
    revokeLabel: (label: string) => `Revoke ${label}`,
    revealTitle: "Your new API key",
    reveal: "Copy it now: this is the only time it is shown. Only a fingerprint of it is kept.",
    done: "Done",
  },
  settings: {
    title: "Settings",
    name: "Organisation name",
    senderName: "Sender name",
    senderNameHint: "The name invitations and confirmations come from.",
    replyTo: "Reply-to address",
    replyToHint: "Where answers to Rollcall's emails go.",
    embedOrigins: "Allowed embed origins",
    embedOriginsHint:
      "One per line, such as https://camp.example. When set, only these sites may embed your sessions and use the admin elements. Leave empty to let any site embed your sessions.",
    invitationLinkTemplate: "Invitation link template",
    invitationLinkTemplateHint:
      "A page of your own for invitation links; {token} is replaced by the invitation. Leave empty to use Rollcall's page.",
    defaultLocale: "Default language",
    defaultLocaleHint: "Used for emails and for visitors whose browser asks for neither English nor French.",
    noLocale: "Not set",
  },
  members: {
    title: "Members",
    email: "Email address",
    role: "Role",
    since: "Member since",
    roles: { owner: "Owner", admin: "Admin" } satisfies Record<Role, string>,
    you: "you",
    changeRole: "Change role",
    roleFor: (email: string) => `Role of ${email}`,
    remove: "Remove",
    removeLabel: (email: string) => `Remove ${email}`,
    ownerOnly: "Only an owner can remove members or change roles.",
    lastOwner: "The organisation needs at least one owner: make another member an owner first.",
    alreadyMember: (email: string) => `${email} is already a member.`,
    invite: "Invite a colleague",
    inviteHint: "They receive a link that makes them an admin of this organisation. It works once, for 72 hours.",
    sendInvite: "Send invitation",
    pending: "Invitations waiting",
    expires: "Expires",
  },
  notices: {
    saved: "Saved.",
    created: "Session created.",
    cancelled: "Session cancelled.",
    revoked: "Key revoked.",
    invited: "Invitation sent.",
    removed: "Member removed.",
    role: "Role changed.",
    signedOut: "You are signed out.",
  } as Record<string, string>,
};

export type Strings = typeof en;

const fr: Strings = {
  product: "Administration Rollcall",
  skip: "Aller au contenu",
  nav: { label: "Sections de l’administration", sessions: "Sessions", keys: "Clés d’API", settings: "Réglages", members: "Membres" },
  signedInAs: (email, role) => `Connecté·e en tant que ${email} (${role === "owner" ? "propriétaire" : "admin"})`,
  signOut: "Se déconnecter",
  required: "obligatoire",
  optional: "facultatif",
  save: "Enregistrer",
  cancel: "Annuler",
  back: "Retour",
  fixErrors: "Certains champs sont à corriger.",
  errors: {
    notFound: "Cette page n’existe pas, ou appartient à une autre organisation.",
    signedOut: "Vous êtes déconnecté·e. Reconnectez-vous pour continuer.",
    csrf: "Ce formulaire a expiré. Revenez en arrière, rechargez la page et réessayez.",
    origin: "Cette requête venait d’un autre site et a été refusée.",
    generic: "Un problème est survenu de notre côté. Réessayez dans un instant.",
    rateLimited: (seconds) => `Trop de tentatives. Réessayez dans ${seconds} secondes.`,
  },
  signIn: {
    title: "Connexion",
    intro:
      "Saisissez l’adresse e-mail de votre compte Rollcall. Nous vous enverrons un lien de connexion, valable une fois, pendant 15 minutes.",
    email: "Adresse e-mail",
    submit: "M’envoyer un lien de connexion",
    invalidEmail: "Saisissez une adresse e-mail, par exemple ada@example.org.",
    sentTitle: "Consultez votre boîte de réception",
    sent: (email) =>
      `Si ${email} appartient à un membre d’une organisation sur Rollcall, un lien de connexion est en route. Il fonctionne une fois, pendant 15 minutes.`,
    again: "Utiliser une autre adresse",
    signedOut: "Vous êtes déconnecté·e.",
  },
  link: {
    signInTitle: (org) => `Connexion à ${org}`,
    inviteTitle: (org) => `Rejoindre ${org}`,
    as: (email) => `Vous serez connecté·e en tant que ${email}.`,
    invited: (email) => `Vous êtes invité·e à gérer les sessions de cette organisation sur Rollcall, en tant que ${email}.`,
    signIn: "Se connecter",
    accept: "Accepter et se connecter",
    spentTitle: "Ce lien ne fonctionne plus",
    spent: "Il a déjà servi, ou il a expiré. Les liens de connexion fonctionnent une fois, pendant 15 minutes.",
    unknown: "Ce lien n’est pas valide. Vérifiez que vous l’avez copié en entier.",
    askAgain: "Recevoir un nouveau lien",
  },
  sessions: {
    title: "Sessions",
    upcoming: "À venir",
    past: "Passées",
    new: "Nouvelle session",
    none: "Aucune session ici pour l’instant.",
    nextPage: "Plus de sessions",
    seatsTaken: (taken, capacity) => `${taken} places prises sur ${capacity}`,
    seatsLabel: "Places prises",
    waitlisted: (n) => `${n} en liste d’attente`,
    minReached: (min) => `Minimum de ${min} atteint`,
    minMissing: (missing, min) => `Encore ${missing} pour atteindre le minimum de ${min}`,
    state: {
      not_yet_open: "Inscriptions pas encore ouvertes",
      open: "Inscriptions ouvertes",
      full: "Complet",
      closed: "Inscriptions closes",
      cancelled: "Annulée",
    },
  },
  form: {
    newTitle: "Nouvelle session",
    editTitle: (title) => `Modifier « ${title} »`,
    title: "Titre",
    description: "Description",
    startsAt: "Début",
    timeZone: "Fuseau horaire",
    timeZoneHint: "Les dates et heures de ce formulaire sont dans ce fuseau horaire.",
    durationMinutes: "Durée (minutes)",
    minParticipants: "Participants minimum",
    maxParticipants: "Capacité (participants maximum)",
    hostCountsAsParticipant: "L’animateur occupe une place",
    registrationOpensAt: "Ouverture des inscriptions",
    registrationOpensHint: "Laissez vide pour ouvrir les inscriptions dès maintenant.",
    registrationClosesAt: "Clôture des inscriptions",
    registrationClosesHint: "Laissez vide pour clore les inscriptions au début de la session.",
    registrationCode: "Code d’inscription",
    registrationCodeHint: "S’il est défini, il faut ce code pour s’inscrire soi-même.",
    waitlist: "Tenir une liste d’attente quand la session est complète",
    create: "Créer la session",
    invalidDateTime: "Saisissez une date et une heure.",
    invalid: {
      title: "Saisissez un titre, de 200 caractères au plus.",
      description: "5 000 caractères au plus.",
      timeZone: "Choisissez un fuseau horaire dans la liste.",
      durationMinutes: "Saisissez un nombre entier de minutes, au moins 1.",
      minParticipants: "Saisissez un nombre entier, 0 ou plus.",
      maxParticipants: "Saisissez un nombre entier de 1 à 10 000.",
      registrationCode: "64 caractères au plus.",
    },
    mismatch: {
      minParticipants: "Ne doit pas dépasser la capacité.",
      maxParticipants: "Doit laisser au moins une place en plus de celle de l’animateur.",
      registrationOpensAtLocal: "Doit précéder la clôture des inscriptions.",
      registrationClosesAtLocal: "Ne doit pas être après la fin de la session.",
    },
  },
  session: {
    edit: "Modifier",
    cancelSession: "Annuler cette session",
    cancelTitle: (title) => `Annuler « ${title} » ?`,
    cancelIntro: "Chaque inscrit·e est prévenu·e par e-mail. C’est définitif.",
    cancelConfirm: "Oui, annuler la session",
    keep: "Garder la session",
    when: "Quand",
    duration: (minutes) => `${minutes} minutes`,
    seats: "Places",
    share: "Partager",
    publicUrl: "Page publique",
    embed: "Intégrer à votre site",
    embedHint: "Collez ceci dans n’importe quelle page web pour afficher un bouton d’inscription.",
    roster: "Liste des participants",
    noScript: "La liste des participants et les invitations ont besoin de JavaScript.",
    registrationCode: (code) => `Code d’inscription : ${code}`,
  },
  keys: {
    title: "Clés d’API",
    intro: "Les clés d’API permettent à vos propres systèmes d’appeler l’API Rollcall. Gardez-les secrètes.",
    label: "Libellé",
    labelInvalid: "Donnez à la clé un libellé de 100 caractères au plus, par exemple « Site web ».",
    create: "Créer une clé",
    none: "Aucune clé pour l’instant.",
    prefix: "Clé",
    created: "Créée le",
    lastUsed: "Dernière utilisation",
    never: "Jamais",
    status: "État",
    active: "Active",
    revoked: "Révoquée",
    revoke: "Révoquer",
    revokeLabel: (label) => `Révoquer ${label}`,
    revealTitle: "Votre nouvelle clé d’API",
    reveal: "Copiez-la maintenant : elle n’est affichée qu’une fois. Seule une empreinte en est conservée.",
    done: "Terminé",
  },
  settings: {
    title: "Réglages",
    name: "Nom de l’organisation",
    senderName: "Nom de l’expéditeur",
    senderNameHint: "Le nom qui signe les invitations et les confirmations.",
    replyTo: "Adresse de réponse",
    replyToHint: "Où arrivent les réponses aux e-mails de Rollcall.",
    embedOrigins: "Origines autorisées pour l’intégration",
    embedOriginsHint:
      "Une par ligne, par exemple https://camp.example. Si elles sont définies, seuls ces sites peuvent intégrer vos sessions et utiliser les éléments d’administration. Laissez vide pour que tout site puisse intégrer vos sessions.",
    invitationLinkTemplate: "Modèle de lien d’invitation",
    invitationLinkTemplateHint:
      "Une page à vous pour les liens d’invitation ; {token} est remplacé par l’invitation. Laissez vide pour utiliser la page de Rollcall.",
    defaultLocale: "Langue par défaut",
    defaultLocaleHint: "Pour les e-mails, et pour les visiteurs dont le navigateur ne demande ni l’anglais ni le français.",
    noLocale: "Non définie",
  },
  members: {
    title: "Membres",
    email: "Adresse e-mail",
    role: "Rôle",
    since: "Membre depuis",
    roles: { owner: "Propriétaire", admin: "Admin" },
    you: "vous",
    changeRole: "Changer le rôle",
    roleFor: (email) => `Rôle de ${email}`,
    remove: "Retirer",
    removeLabel: (email) => `Retirer ${email}`,
    ownerOnly: "Seul·e un·e propriétaire peut retirer des membres ou changer les rôles.",
    lastOwner: "L’organisation doit garder au moins un·e propriétaire : nommez d’abord un·e autre membre propriétaire.",
    alreadyMember: (email) => `${email} est déjà membre.`,
    invite: "Inviter un·e collègue",
    inviteHint: "La personne reçoit un lien qui en fait une admin de cette organisation. Il fonctionne une fois, pendant 72 heures.",
    sendInvite: "Envoyer l’invitation",
    pending: "Invitations en attente",
    expires: "Expire le",
  },
  notices: {
    saved: "Enregistré.",
    created: "Session créée.",
    cancelled: "Session annulée.",
    revoked: "Clé révoquée.",
    invited: "Invitation envoyée.",
    removed: "Membre retiré·e.",
    role: "Rôle modifié.",
    signedOut: "Vous êtes déconnecté·e.",
  },
};

export const strings: Record<Locale, Strings> = { en, fr };

/** A date and time as people of that language write it, in a zone, with the zone named. */
export function formatInstant(instant: string, timeZone: string, locale: Locale): string {
  const formatted = new Intl.DateTimeFormat(locale === "fr" ? "fr-FR" : "en-GB", {
    dateStyle: "full",
    timeStyle: "short",
    timeZone,
  }).format(new Date(instant));
  return `${formatted} (${timeZone})`;
}

export function formatDate(instant: string, locale: Locale): string {
  return (
    new Intl.DateTimeFormat(locale === "fr" ? "fr-FR" : "en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(
      new Date(instant),
    ) + " UTC"
  );
}
