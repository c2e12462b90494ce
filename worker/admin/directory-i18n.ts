// The words of the hosted admin's directory pages (contacts, groups, import), in English and
// French, kept beside the rest of the admin's words but in a file of their own.

import { type CsvProblem, IMPORT_COLUMNS } from "../contacts/import";
import { fieldProblemSentences } from "../i18n/field-problems";
import type { Locale } from "../i18n/locales";
import { plural } from "../i18n/plural";
import type { InvitationStatus } from "../invitations/statuses";
import type { RegistrationStatus } from "../registrations/statuses";

const en = {
  contacts: {
    title: "Contacts",
    intro: "The people of your organisation: invite them to sessions one by one or a whole group at once.",
    search: "Search by name or email",
    group: "Group",
    type: "Type",
    /** The type of a contact nobody gave one, stored as "member" (the API's word). */
    defaultType: "member",
    tag: "Tag",
    status: "Status",
    invitation: "Latest invitation",
    any: "Any",
    statuses: { active: "Active", deactivated: "Deactivated" } as Record<string, string>,
    filter: "Filter",
    count: (shown: number, total: number) => (total === 1 ? "1 contact" : `${shown} of ${total} contacts`),
    none: "No contacts match. Add people below, or import a file.",
    name: "Name",
    email: "Email",
    phone: "Phone",
    groups: "Groups",
    select: (name: string) => `Select ${name}`,
    selectAll: "Select every contact on this page",
    more: "More contacts",
    bulkTitle: "With the selected contacts",
    bulkAction: "Action",
    addToGroup: "Add to group",
    removeFromGroup: "Remove from group",
    apply: "Apply",
    noneSelected: "Select at least one contact first.",
    addTitle: "Add people",
    addHint:
      "Paste up to 200 addresses, separated by commas, spaces, semicolons or new lines. Names as mail programs copy them (Ada Lovelace <ada@example.org>) are kept. Nothing is sent to them, unless the group is in a program: then they are invited to it.",
    addRecipients: "Addresses",
    addGroup: "Into group (optional)",
    noGroup: "No group",
    add: "Add to the directory",
    added: (created: number, existing: number) =>
      `${created === 1 ? "1 contact added" : `${created} contacts added`}${existing ? `; ${existing} already in the directory` : ""}.`,
    pasteInvalid: (entries: string) => `Not valid email addresses: ${entries}. Correct or remove them; nothing was added.`,
    pasteNone: "Paste at least one address.",
    pasteTooMany: (count: number, max: number) => `At most ${max} addresses at once: this paste has ${count}.`,
    importLink: "Import a spreadsheet (CSV)",
    groupsLink: "Groups",
    unnamed: "(no name)",
  },
  contact: {
    edit: "Edit",
    firstName: "First name",
    lastName: "Last name",
    email: "Email",
    phone: "Phone",
    // The person's own page asks in the same words (pages/participant.tsx): no one country's number as the example.
    phoneHint: "In international format: + and the country code, then the number.",
    channel: "Reach by",
    channels: { email: "Email", sms: "SMS" } as Record<string, string>,
    locale: "Language",
    sameAsOrg: "The organisation's",
    type: "Type",
    typeHint: "Your word for the person: member, mentor, trainee, client…",
    tags: "Tags",
    tagsHint: "Separated by commas.",
    groups: "Groups",
    externalId: "External id",
    notes: "Notes",
    deactivateAt: "Deactivate on",
    deactivateHint: "On this date the person leaves their groups and their pending invitations are cancelled.",
    save: "Save",
    deactivate: "Deactivate now",
    deactivateTitle: (name: string) => `Deactivate ${name} now?`,
    deactivateWarning:
      "Their pending invitations are cancelled (the seats they held go back to their sessions; for an invitation already sent, they are told by email), their registrations to sessions not yet started are cancelled with the usual email, and they leave all their groups. They stay in the directory and can be reactivated, but what was cancelled stays cancelled.",
    deactivateConfirm: "Deactivate",
    reactivate: "Reactivate",
    erase: "Erase this person's data",
    eraseTitle: (name: string) => `Erase ${name}?`,
    eraseWarning:
      "Their name, address, phone and notes are removed for good. Counts and history keep an anonymous row. This cannot be undone.",
    eraseConfirm: "Erase for good",
    status: (status: string): string => (status === "active" ? "Active" : "Deactivated"),
    exists: "Another contact already has this email address.",
  },
  import: {
    title: "Import contacts",
    intro:
      "A spreadsheet saved as CSV (comma or semicolon), with a first line naming the columns. Several values in one cell are separated by |. Groups are named or given by id; a missing name is created.",
    template: "Download the template",
    file: "File",
    paste: "Or paste the file's text",
    country: "Country of phone numbers written without +",
    noCountry: "None: every number starts with +",
    onlyEmpty: "Only fill in what contacts already in the directory lack",
    onlyEmptyHint:
      "The details they have (names, phone, language…) stay as they are. The ones they lack take the file's. Groups are joined either way.",
    check: "Check the file",
    result: (c: { create: number; update: number; unchanged: number; error: number }) =>
      `${c.create} to create, ${c.update} to update, ${c.unchanged} unchanged, ${c.error} with errors.`,
    line: "Line",
    verdict: "Result",
    details: "Details",
    verdicts: { create: "New", update: "Update", unchanged: "Unchanged", error: "Error" } as Record<string, string>,
    newGroups: (names: string) => `New groups: ${names}.`,
    fixFirst: "Fix the rows in error in your file, then check it again. Nothing is imported while a row is in error.",
    apply: (n: number) => `Import ${n === 1 ? "1 contact" : `${n} contacts`}`,
    applied: (c: { create: number; update: number }) => `Imported: ${c.create} created, ${c.update} updated.`,
    empty: "Choose a file or paste its text.",
    nothing: "Nothing to import: every row is already in the directory as it is.",
    /** Why the file as a whole cannot be read. */
    csv: (p: CsvProblem): string => {
      switch (p.reason) {
        case "not_csv":
          return `The file is not valid CSV: on line ${p.line}, ${p.papaCode === "MissingQuotes" ? "a quoted cell is never closed" : p.papaCode === "InvalidQuotes" ? "a quote is misplaced" : "the row cannot be read"}. Save it again as CSV from your spreadsheet.`;
        case "empty":
          return "The file is empty: its first line must name the columns.";
        case "unknown_columns":
          return `Unknown ${p.columns.length === 1 ? "column" : "columns"}: ${p.columns.join(", ")}. Name the columns as in the template: ${IMPORT_COLUMNS.join(", ")}.`;
        case "no_address_column":
          return "The first line must name the columns, with at least email or phone.";
        case "too_many_rows":
          return `The file has ${p.rows} rows: import at most ${p.max} at a time, in several files.`;
      }
    },
    /** Someone else changed the directory between the check and the import. */
    conflict: "The directory changed while the file was being imported, so nothing was imported. Check the file again.",
    /** Under the check, when numbers without + were refused and no country was chosen. */
    chooseCountry: "Some phone numbers have no + and country code: choose their country below, then check the file again.",
  },
  /** Why a field was refused (a contact's form, a row of an import), after the field's name. */
  problems: fieldProblemSentences.en,
  groups: {
    title: "Groups",
    intro: "Named sets of contacts: a cohort, a class, a team. A person can be in several.",
    name: "Name",
    members: "Members",
    none: "No groups yet.",
    create: "Create a group",
    rename: "Rename",
    delete: "Delete",
    deleteLabel: (name: string) => `Delete the group ${name}`,
    deleteTitle: (name: string) => `Delete the group ${name}?`,
    deleteWarning: (n: number) => `Its ${n === 1 ? "member stays" : `${n} members stay`} in the directory; only the group goes.`,
    deleteConfirm: "Delete the group",
    exists: "A group already has this name.",
    nameInvalid: "Give a name of at most 100 characters, on one line, without |.",
    id: "Id",
    export: "Download ids and names (CSV)",
  },
  history: {
    title: "History",
    intro: "Every invitation and registration of this address across your sessions, newest session first.",
    none: "No invitations or registrations yet.",
    session: "Session",
    startsAt: "Starts",
    kind: "What",
    kinds: { invitation: "Invitation", registration: "Registration" } as Record<string, string>,
    status: "Status",
    statuses: {
      draft: "To send",
      scheduled: "Scheduled",
      sent: "Pending",
      accepted: "Accepted",
      declined: "Declined",
      expired: "Expired",
      cancelled: "Cancelled",
      confirmed: "Confirmed",
      waitlisted: "Waitlisted",
      pending_confirmation: "Awaiting email confirmation",
      pending_payment: "Awaiting payment",
    } satisfies Record<InvitationStatus | RegistrationStatus, string> as Record<string, string>,
    date: "Last change",
    actions: "Actions",
    send: "Send",
    editAndSend: "Edit and send",
    editTitle: (session: string) => `Send the invitation to ${session}`,
    editIntro: (who: string, session: string, when: string) =>
      `${who} is invited to ${session}, ${when}. The email goes when you press Send: change its words first if you like.`,
    resend: "Resend",
    cancel: "Cancel",
    actionLabel: (action: string, session: string) => `${action}: ${session}`,
    cancelTitle: (session: string) => `Cancel the invitation to ${session}?`,
    cancelWarning:
      "The invitation closes and any seat it held goes back to the session (the waitlist moves up). If it was already sent, the person is told by email.",
    cancelConfirm: "Cancel the invitation",
    keep: "Keep it",
    refused: "This invitation could not be changed",
    refusals: {
      not_found: "This invitation no longer exists.",
      invalid_transition:
        "This invitation changed meanwhile (it was answered, cancelled or has expired): the contact's history says where it stands now.",
      session_cancelled: "Its session is cancelled: its invitations are not sent.",
      validation_failed: "These words are too long: a subject takes 200 characters at most, a button 60, a message 5,000.",
    } as Record<string, string>,
  },
  notices: {
    contactSaved: "Contact saved.",
    contactDeactivated:
      "Contact deactivated: their pending invitations, if any, were cancelled, as were their registrations to sessions not yet started, and they left their groups.",
    contactReactivated: "Contact reactivated. What deactivation cancelled stays cancelled, and groups are not restored.",
    contactErased: "The contact's data was erased.",
    groupCreated: "Group created.",
    groupRenamed: "Group renamed.",
    groupDeleted: "Group deleted.",
    membersChanged: "Groups updated.",
    invitationSent: "Invitation sent.",
    invitationResent: "Invitation sent again.",
    invitationCancelled: "Invitation cancelled.",
  } as Record<string, string>,
  bulk: {
    groupTitle: "Groups",
    programTitle: "Add to a program",
    program: "Program",
    programHint:
      "They are invited to every session of the program that has not ended, and get one email for the program; the program's page shows the progress.",
    noPrograms: "No programs yet.",
    createProgram: "Create a program",
    programHoldSeat: "Hold a seat for each of them in every session",
    inviteToProgram: "Add to the program",
    sessionTitle: "Invite to a session",
    session: "Upcoming session",
    noSessions: "No upcoming sessions.",
    send: "Invitations",
    sendNow: "Send now",
    sendLater: "Keep as “to send” (send them later from the session's roster)",
    holdSeat: "Hold a seat for each of them",
    language: "Language of the invitation",
    languageHint: "For people without a language of their own: a contact who chose one gets the invitation in theirs.",
    invite: "Invite",
    confirmTitle: (n: number, session: string) =>
      `Email an invitation for ${session} to ${n === 1 ? "1 selected contact" : `${n} selected contacts`} now?`,
    confirmWarning: "Each selected contact with an address gets an invitation email at once; an email cannot be taken back.",
    confirmSend: "Send now",
    back: "Back to the contacts",
    resultTitle: (session: string) => `Invitations for ${session}`,
    invited: (n: number, sent: boolean) =>
      n === 0
        ? "No one invited: everyone chosen was skipped."
        : `${n === 1 ? "1 person invited" : `${n} people invited`}${sent ? ", the emails are on their way." : ", to send from the session's roster."}`,
    skippedCount: (n: number) => (n === 1 ? "1 person skipped:" : `${n} people skipped:`),
    person: "Person",
    reason: "Why",
    reasons: {
      duplicate: "Chosen twice",
      already_invited: "Already invited to this session",
      already_registered: "Already registered for this session",
      no_email: "No email address",
      phone_only: "Reached by SMS only: add an email address to invite them",
      deactivated: "Contact deactivated",
    } as Record<string, string>,
    openSession: "Open the session's roster",
    refused: "Nobody was invited",
    refusals: {
      not_found: "This session or program no longer exists.",
      capacity_full: "The session has not enough seats for everyone: invite without holding seats, or raise its capacity.",
      session_cancelled: "This session is cancelled.",
      too_many_recipients: "At most 200 people at once: select fewer contacts.",
      mail_budget_exceeded: "Your organisation has used its emails for this hour: keep them to send, or try again later.",
      validation_failed: "Some of the selected contacts are not in the directory any more.",
      discount_invalid: "This discount code was archived meanwhile.",
      discount_expired: "This discount code is not valid at this time.",
      discount_not_applicable: "This discount code does not apply to this session.",
      invalid_transition: "This program has no session still to come: attach one before inviting.",
    } as Record<string, string>,
    programStarted: (n: number, program: string) => `Inviting ${n === 1 ? "1 contact" : `${n} contacts`} to ${program}.`,
  },
};

export type DirectoryStrings = typeof en;

const fr: DirectoryStrings = {
  contacts: {
    title: "Contacts",
    intro: "Les personnes de votre organisation : invitez-les aux séances une par une ou tout un groupe à la fois.",
    search: "Chercher par nom ou e-mail",
    group: "Groupe",
    type: "Type",
    defaultType: "membre",
    tag: "Étiquette",
    status: "Statut",
    invitation: "Dernière invitation",
    any: "Tous",
    statuses: { active: "Actif", deactivated: "Désactivé" },
    filter: "Filtrer",
    count: (shown, total) => (total === 1 ? "1 contact" : `${shown} sur ${total} contacts`),
    none: "Aucun contact ne correspond. Ajoutez des personnes ci-dessous ou importez un fichier.",
    name: "Nom",
    email: "E-mail",
    phone: "Téléphone",
    groups: "Groupes",
    select: (name) => `Sélectionner ${name}`,
    selectAll: "Sélectionner tous les contacts de la page",
    more: "Plus de contacts",
    bulkTitle: "Avec les contacts sélectionnés",
    bulkAction: "Action",
    addToGroup: "Ajouter au groupe",
    removeFromGroup: "Retirer du groupe",
    apply: "Appliquer",
    noneSelected: "Sélectionnez d’abord au moins un contact.",
    addTitle: "Ajouter des personnes",
    addHint:
      "Collez jusqu’à 200 adresses, séparées par des virgules, des espaces, des points-virgules ou des retours à la ligne. Les noms copiés depuis une messagerie (Ada Lovelace <ada@example.org>) sont gardés. Rien ne leur est envoyé, sauf si le groupe fait partie d’un programme : ils y sont alors invités.",
    addRecipients: "Adresses",
    addGroup: "Dans le groupe (facultatif)",
    noGroup: "Aucun groupe",
    add: "Ajouter à l’annuaire",
    added: (created, existing) =>
      `${created <= 1 ? `${created} contact ajouté` : `${created} contacts ajoutés`}${existing ? ` ; ${existing} déjà dans l’annuaire` : ""}.`,
    pasteInvalid: (entries) => `Adresses e-mail non valides : ${entries}. Corrigez-les ou retirez-les ; rien n’a été ajouté.`,
    pasteNone: "Collez au moins une adresse.",
    pasteTooMany: (count, max) => `${max} adresses au plus à la fois : ce collage en contient ${count}.`,
    importLink: "Importer un tableur (CSV)",
    groupsLink: "Groupes",
    unnamed: "(sans nom)",
  },
  contact: {
    edit: "Modifier",
    firstName: "Prénom",
    lastName: "Nom",
    email: "E-mail",
    phone: "Téléphone",
    phoneHint: "Au format international : + et l’indicatif du pays, puis le numéro.",
    channel: "Joindre par",
    channels: { email: "E-mail", sms: "SMS" },
    locale: "Langue",
    sameAsOrg: "Celle de l’organisation",
    type: "Type",
    typeHint: "Votre mot pour la personne : membre, mentor, stagiaire, client…",
    tags: "Étiquettes",
    tagsHint: "Séparées par des virgules.",
    groups: "Groupes",
    externalId: "Identifiant externe",
    notes: "Notes",
    deactivateAt: "Désactiver le",
    deactivateHint: "À cette date, la personne quitte ses groupes et ses invitations en attente sont annulées.",
    save: "Enregistrer",
    deactivate: "Désactiver maintenant",
    deactivateTitle: (name) => `Désactiver ${name} maintenant ?`,
    deactivateWarning:
      "Ses invitations en attente sont annulées (les places qu’elles réservaient reviennent à leurs sessions ; pour une invitation déjà envoyée, la personne est prévenue par e-mail), ses inscriptions aux sessions pas encore commencées sont annulées avec l’e-mail habituel, et la personne quitte tous ses groupes. Elle reste dans l’annuaire et peut être réactivée, mais ce qui a été annulé le reste.",
    deactivateConfirm: "Désactiver",
    reactivate: "Réactiver",
    erase: "Effacer les données de cette personne",
    eraseTitle: (name) => `Effacer ${name} ?`,
    eraseWarning:
      "Son nom, son adresse, son téléphone et ses notes sont supprimés définitivement. Les totaux et l’historique gardent une ligne anonyme. C’est irréversible.",
    eraseConfirm: "Effacer définitivement",
    status: (status) => (status === "active" ? "Actif" : "Désactivé"),
    exists: "Un autre contact a déjà cette adresse e-mail.",
  },
  import: {
    title: "Importer des contacts",
    intro:
      "Un tableur enregistré en CSV (virgule ou point-virgule), dont la première ligne nomme les colonnes. Plusieurs valeurs d’une cellule se séparent par |. Les groupes sont donnés par nom ou par identifiant ; un nom absent est créé.",
    template: "Télécharger le modèle",
    file: "Fichier",
    paste: "Ou collez le texte du fichier",
    country: "Pays des numéros écrits sans +",
    noCountry: "Aucun : chaque numéro commence par +",
    onlyEmpty: "Compléter seulement ce qui manque aux contacts déjà dans l’annuaire",
    onlyEmptyHint:
      "Les informations qu’ils ont (noms, téléphone, langue…) restent telles quelles. Celles qui leur manquent prennent celles du fichier. Les groupes sont rejoints dans tous les cas.",
    check: "Vérifier le fichier",
    result: (c) =>
      `${c.create} à créer, ${c.update} à mettre à jour, ${c.unchanged} ${plural("fr", c.unchanged, "inchangé", "inchangés")}, ${c.error} en erreur.`,
    line: "Ligne",
    verdict: "Résultat",
    details: "Détails",
    verdicts: { create: "Nouveau", update: "Mise à jour", unchanged: "Inchangé", error: "Erreur" },
    newGroups: (names) => `Nouveaux groupes : ${names}.`,
    fixFirst:
      "Corrigez les lignes en erreur dans votre fichier, puis vérifiez-le à nouveau. Rien n’est importé tant qu’une ligne est en erreur.",
    apply: (n) => `Importer ${n <= 1 ? `${n} contact` : `${n} contacts`}`,
    applied: (c) => `Importé : ${c.create} créés, ${c.update} mis à jour.`,
    empty: "Choisissez un fichier ou collez son texte.",
    nothing: "Rien à importer : chaque ligne est déjà dans l’annuaire telle quelle.",
    csv: (p) => {
      switch (p.reason) {
        case "not_csv":
          return `Le fichier n’est pas un CSV valide : à la ligne ${p.line}, ${p.papaCode === "MissingQuotes" ? "une cellule entre guillemets n’est jamais fermée" : p.papaCode === "InvalidQuotes" ? "un guillemet est mal placé" : "la ligne ne peut pas être lue"}. Enregistrez-le à nouveau en CSV depuis votre tableur.`;
        case "empty":
          return "Le fichier est vide : sa première ligne doit nommer les colonnes.";
        case "unknown_columns":
          return `${p.columns.length === 1 ? "Colonne inconnue" : "Colonnes inconnues"} : ${p.columns.join(", ")}. Nommez les colonnes comme dans le modèle : ${IMPORT_COLUMNS.join(", ")}.`;
        case "no_address_column":
          return "La première ligne doit nommer les colonnes, dont au moins email ou phone.";
        case "too_many_rows":
          return `Le fichier a ${p.rows} lignes : importez-en ${p.max} au plus à la fois, en plusieurs fichiers.`;
      }
    },
    conflict: "L’annuaire a changé pendant l’import, donc rien n’a été importé. Vérifiez à nouveau le fichier.",
    chooseCountry: "Certains numéros n’ont ni + ni indicatif : choisissez leur pays ci-dessous, puis vérifiez à nouveau le fichier.",
  },
  problems: fieldProblemSentences.fr,
  groups: {
    title: "Groupes",
    intro: "Des ensembles nommés de contacts : une promotion, une classe, une équipe. Une personne peut être dans plusieurs.",
    name: "Nom",
    members: "Membres",
    none: "Aucun groupe pour l’instant.",
    create: "Créer un groupe",
    rename: "Renommer",
    delete: "Supprimer",
    deleteLabel: (name) => `Supprimer le groupe ${name}`,
    deleteTitle: (name) => `Supprimer le groupe ${name} ?`,
    deleteWarning: (n) =>
      n <= 1
        ? "Son membre reste dans l’annuaire ; seul le groupe disparaît."
        : `Ses ${n} membres restent dans l’annuaire ; seul le groupe disparaît.`,
    deleteConfirm: "Supprimer le groupe",
    exists: "Un groupe porte déjà ce nom.",
    nameInvalid: "Donnez un nom d’au plus 100 caractères, sur une ligne, sans |.",
    id: "Identifiant",
    export: "Télécharger identifiants et noms (CSV)",
  },
  history: {
    title: "Historique",
    intro: "Toutes les invitations et inscriptions de cette adresse dans vos séances, la plus récente séance d’abord.",
    none: "Aucune invitation ni inscription pour l’instant.",
    session: "Séance",
    startsAt: "Début",
    kind: "Quoi",
    kinds: { invitation: "Invitation", registration: "Inscription" },
    status: "Statut",
    statuses: {
      draft: "À envoyer",
      scheduled: "Programmée",
      sent: "En attente",
      accepted: "Acceptée",
      declined: "Refusée",
      expired: "Expirée",
      cancelled: "Annulée",
      confirmed: "Confirmée",
      waitlisted: "En liste d’attente",
      pending_confirmation: "En attente de confirmation par e-mail",
      pending_payment: "Paiement attendu",
    },
    date: "Dernier changement",
    actions: "Actions",
    send: "Envoyer",
    editAndSend: "Modifier et envoyer",
    editTitle: (session: string) => `Envoyer l’invitation à ${session}`,
    editIntro: (who: string, session: string, when: string) =>
      `${who} est invité·e à ${session}, ${when}. L’e-mail part quand vous appuyez sur Envoyer : modifiez d’abord ses mots si vous le souhaitez.`,
    resend: "Renvoyer",
    cancel: "Annuler",
    actionLabel: (action, session) => `${action} : ${session}`,
    cancelTitle: (session) => `Annuler l’invitation à ${session} ?`,
    cancelWarning:
      "L’invitation est fermée et la place qu’elle retenait revient à la séance (la liste d’attente avance). Si elle avait déjà été envoyée, la personne est prévenue par e-mail.",
    cancelConfirm: "Annuler l’invitation",
    keep: "La garder",
    refused: "Cette invitation n’a pas pu être modifiée",
    refusals: {
      not_found: "Cette invitation n’existe plus.",
      invalid_transition:
        "Cette invitation a changé entre-temps (elle a reçu une réponse, a été annulée ou a expiré) : l’historique du contact dit où elle en est.",
      session_cancelled: "Sa séance est annulée : ses invitations ne sont pas envoyées.",
      validation_failed: "Ces mots sont trop longs : 200 caractères au plus pour l’objet, 60 pour le bouton, 5 000 pour le message.",
    },
  },
  notices: {
    contactSaved: "Contact enregistré.",
    contactDeactivated:
      "Contact désactivé : ses invitations en attente, s’il y en avait, ont été annulées, de même que ses inscriptions aux sessions pas encore commencées, et la personne a quitté ses groupes.",
    contactReactivated: "Contact réactivé. Ce que la désactivation a annulé le reste, et les groupes ne sont pas rétablis.",
    contactErased: "Les données du contact ont été effacées.",
    groupCreated: "Groupe créé.",
    groupRenamed: "Groupe renommé.",
    groupDeleted: "Groupe supprimé.",
    membersChanged: "Groupes mis à jour.",
    invitationSent: "Invitation envoyée.",
    invitationResent: "Invitation renvoyée.",
    invitationCancelled: "Invitation annulée.",
  },
  bulk: {
    groupTitle: "Groupes",
    programTitle: "Ajouter à un programme",
    program: "Programme",
    programHint:
      "Ils sont invités à chaque séance du programme qui n’est pas terminée, et reçoivent un e-mail pour le programme ; la page du programme montre l’avancement.",
    noPrograms: "Aucun programme pour l’instant.",
    createProgram: "Créer un programme",
    programHoldSeat: "Réserver une place pour chacun dans chaque séance",
    inviteToProgram: "Ajouter au programme",
    sessionTitle: "Inviter à une séance",
    session: "Séance à venir",
    noSessions: "Aucune séance à venir.",
    send: "Invitations",
    sendNow: "Envoyer maintenant",
    sendLater: "Garder « à envoyer » (à envoyer plus tard depuis la liste de la séance)",
    holdSeat: "Réserver une place pour chacun",
    language: "Langue de l’invitation",
    languageHint: "Pour les personnes sans langue à elles : un contact qui en a choisi une reçoit l’invitation dans la sienne.",
    invite: "Inviter",
    confirmTitle: (n, session) =>
      `Envoyer maintenant une invitation pour ${session} à ${n <= 1 ? `${n} contact sélectionné` : `${n} contacts sélectionnés`} ?`,
    confirmWarning: "Chaque contact sélectionné qui a une adresse reçoit aussitôt un e-mail d’invitation ; un e-mail ne se reprend pas.",
    confirmSend: "Envoyer maintenant",
    back: "Retour aux contacts",
    resultTitle: (session) => `Invitations pour ${session}`,
    invited: (n, sent) =>
      n === 0
        ? "Aucune invitation : chaque personne choisie a été écartée."
        : `${n === 1 ? "1 personne invitée" : `${n} personnes invitées`}${sent ? ", les e-mails partent." : ", à envoyer depuis la liste de la séance."}`,
    skippedCount: (n) => (n <= 1 ? `${n} personne écartée :` : `${n} personnes écartées :`),
    person: "Personne",
    reason: "Pourquoi",
    reasons: {
      duplicate: "Choisie deux fois",
      already_invited: "Déjà invitée à cette séance",
      already_registered: "Déjà inscrite à cette séance",
      no_email: "Pas d’adresse e-mail",
      phone_only: "Joignable par SMS seulement : ajoutez une adresse e-mail pour l’inviter",
      deactivated: "Contact désactivé",
    },
    openSession: "Ouvrir la liste de la séance",
    refused: "Personne n’a été invité",
    refusals: {
      not_found: "Cette séance ou ce programme n’existe plus.",
      capacity_full: "La séance n’a pas assez de places pour tout le monde : invitez sans réserver de places, ou augmentez sa capacité.",
      session_cancelled: "Cette séance est annulée.",
      too_many_recipients: "200 personnes au plus à la fois : sélectionnez moins de contacts.",
      mail_budget_exceeded: "Votre organisation a utilisé ses e-mails pour cette heure : gardez-les à envoyer, ou réessayez plus tard.",
      validation_failed: "Certains des contacts sélectionnés ne sont plus dans l’annuaire.",
      discount_invalid: "Ce code de réduction a été archivé entre-temps.",
      discount_expired: "Ce code de réduction n’est pas valable en ce moment.",
      discount_not_applicable: "Ce code de réduction ne s’applique pas à cette séance.",
      invalid_transition: "Ce programme n’a aucune séance à venir : rattachez-en une avant d’inviter.",
    },
    programStarted: (n, program) => `Invitation de ${n <= 1 ? `${n} contact` : `${n} contacts`} à ${program}.`,
  },
};

export const directoryStrings: Record<Locale, DirectoryStrings> = { en, fr };
