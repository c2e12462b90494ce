// What each field problem (errors/fields.ts) says, in every language: a sentence that follows the
// field's name ("Phone: start with + …"), read by the admin and by the elements alike. A new code
// does not type-check until it has a sentence in each language. Pure.

import type { FieldProblemCode, FieldProblemParams } from "../errors/fields";
import { capitalised } from "./grammar";
import type { Locale } from "./locales";

type Sentences = Record<FieldProblemCode, (params: FieldProblemParams) => string>;

/** The values a field takes, as a choice between them: "email or sms", "email ou sms". */
const either = (locale: Locale, options: unknown) =>
  new Intl.ListFormat(locale, { type: "disjunction" }).format(String(options ?? "").split(", "));

const en: Sentences = {
  required: () => "enter a value.",
  too_short: (p) => `too short: ${p.min} characters at least.`,
  too_long: (p) => `too long: ${p.max} characters at most.`,
  too_few: (p) => `too few: ${p.min} at least.`,
  too_many: (p) => `too many values: ${p.max} at most.`,
  too_small: (p) => `too small: ${p.min} at least.`,
  too_large: (p) => `too large: ${p.max} at most.`,
  wrong_type: () => "this kind of value is not accepted here.",
  unknown_field: (p) => `not a field here${p.keys ? ` (${p.keys})` : ""}.`,
  not_an_option: (p) => `write ${either("en", p.options)}.`,
  not_plain_text: () => "remove the control characters or damaged characters.",
  not_one_line: () => "write it on one line.",
  not_a_date: () => "write a date as 2027-06-30.",
  not_a_url: () => "write a web address such as https://meet.example/abc.",
  not_https: () => "the address must start with https://.",
  not_a_time_zone: () => "choose a time zone such as Europe/Paris.",
  not_a_currency: () => "write a currency code such as EUR.",
  not_an_origin: () => "write only the site’s origin, such as https://camp.example, without a path.",
  email_invalid: (p) =>
    `not a valid address (${
      (
        {
          empty: "it is empty",
          too_long: "it is longer than 254 characters",
          no_at: "it has no @",
          several_at: "it has more than one @",
          bad_local: "the part before the @ is not valid",
          bad_domain: "the domain after the @ is not valid",
        } as Record<string, string>
      )[String(p.reason)] ?? "check it"
    }).`,
  invalid: () => "this value is not valid.",
  nothing_to_change: () => "change at least one field.",
  choose_one: (p) => `give this or ${p.other}, one of the two.`,
  not_both: (p) => `give this or ${p.other}, not both.`,
  goes_with: (p) => `goes with ${p.other}, and only with it.`,
  ends_before_start: () => "must come after the start.",
  more_than_max: () => "must not be more than the maximum.",
  no_seat_left: () => "leave at least one seat besides the host.",
  opens_after_close: () => "must be before registration closes.",
  closes_after_end: () => "must not be after the session ends.",
  not_before_start: () => "must be before the session starts.",
  not_in_future: () => "must be in the future.",
  not_yours: () => "not one of your organisation’s.",
  taken: () => "already used; choose another.",
  reserved: () => "this word is reserved; choose another.",
  needs_token: () => "write {token} where the invitation’s token goes in the address.",
  has_address: () => "remove the email address: mail programs would take it for the sender’s.",
  not_a_slug: () => "use only lower-case letters, digits and hyphens, with no hyphen at either end.",
  not_a_number: () => "write a number.",
  not_ticked: () => "tick this box.",
  has_separator: () => "remove the |: it separates values in CSV files.",
  phone_needs_country: () => "start with + and the country code, e.g. +33 6 12 34 56 78.",
  phone_invalid: () => "not a valid phone number: check its digits and its country code.",
  phone_needed_for_sms: () => "needed to reach the person by SMS.",
  email_or_phone_needed: () => "give an email address or a phone number.",
  duplicate_in_file: (p) => `also on line ${p.line}; keep one row per person.`,
  group_not_found: (p) => `no group ${p.groups}.`,
  group_empty: () => "no one is in the chosen groups: add people to them, or choose others.",
  same_key: () => "two questions have this key: give each its own.",
  needs_choices: () => "add at least one choice.",
  no_choices: () => "this kind of question has no choices.",
  same_choice: () => "two choices are the same.",
};

const fr: Sentences = {
  required: () => "saisissez une valeur.",
  too_short: (p) => `trop court : ${p.min} caractères au moins.`,
  too_long: (p) => `trop long : ${p.max} caractères au plus.`,
  too_few: (p) => `pas assez : ${p.min} au moins.`,
  too_many: (p) => `trop de valeurs : ${p.max} au plus.`,
  too_small: (p) => `trop petit : ${p.min} au moins.`,
  too_large: (p) => `trop grand : ${p.max} au plus.`,
  wrong_type: () => "ce type de valeur n’est pas accepté ici.",
  unknown_field: (p) => `ce champ n’existe pas ici${p.keys ? ` (${p.keys})` : ""}.`,
  not_an_option: (p) => `écrivez ${either("fr", p.options)}.`,
  not_plain_text: () => "retirez les caractères de contrôle ou abîmés.",
  not_one_line: () => "écrivez-le sur une seule ligne.",
  not_a_date: () => "écrivez une date sous la forme 2027-06-30.",
  not_a_url: () => "écrivez une adresse web, par exemple https://meet.example/abc.",
  not_https: () => "l’adresse doit commencer par https://.",
  not_a_time_zone: () => "choisissez un fuseau horaire, par exemple Europe/Paris.",
  not_a_currency: () => "écrivez un code de devise, par exemple EUR.",
  not_an_origin: () => "écrivez seulement l’origine du site, par exemple https://camp.example, sans chemin.",
  email_invalid: (p) =>
    `adresse non valide (${
      (
        {
          empty: "elle est vide",
          too_long: "elle dépasse 254 caractères",
          no_at: "il manque le @",
          several_at: "elle contient plusieurs @",
          bad_local: "la partie avant le @ n’est pas valide",
          bad_domain: "le domaine après le @ n’est pas valide",
        } as Record<string, string>
      )[String(p.reason)] ?? "vérifiez-la"
    }).`,
  invalid: () => "cette valeur n’est pas valide.",
  nothing_to_change: () => "modifiez au moins un champ.",
  choose_one: (p) => `indiquez ceci ou ${p.other}, l’un des deux.`,
  not_both: (p) => `indiquez ceci ou ${p.other}, pas les deux.`,
  goes_with: (p) => `va avec ${p.other}, et seulement avec lui.`,
  ends_before_start: () => "doit venir après le début.",
  more_than_max: () => "ne doit pas dépasser le maximum.",
  no_seat_left: () => "laissez au moins une place en plus de celle de l’hôte.",
  opens_after_close: () => "doit précéder la clôture des inscriptions.",
  closes_after_end: () => "ne doit pas suivre la fin de la séance.",
  not_before_start: () => "doit précéder le début de la séance.",
  not_in_future: () => "doit être dans le futur.",
  not_yours: () => "n’appartient pas à votre organisation.",
  taken: () => "déjà utilisé ; choisissez-en un autre.",
  reserved: () => "ce mot est réservé ; choisissez-en un autre.",
  needs_token: () => "écrivez {token} là où le jeton de l’invitation va dans l’adresse.",
  has_address: () => "retirez l’adresse e-mail : les messageries la prendraient pour celle de l’expéditeur.",
  not_a_slug: () => "n’utilisez que des minuscules, des chiffres et des tirets, sans tiret au début ni à la fin.",
  not_a_number: () => "écrivez un nombre.",
  not_ticked: () => "cochez cette case.",
  has_separator: () => "retirez le | : il sépare les valeurs dans les fichiers CSV.",
  phone_needs_country: () => "commencez par + et l’indicatif du pays, par exemple +33 6 12 34 56 78.",
  phone_invalid: () => "numéro non valide : vérifiez ses chiffres et l’indicatif du pays.",
  phone_needed_for_sms: () => "nécessaire pour joindre la personne par SMS.",
  email_or_phone_needed: () => "indiquez une adresse e-mail ou un numéro de téléphone.",
  duplicate_in_file: (p) => `aussi à la ligne ${p.line} ; gardez une ligne par personne.`,
  group_not_found: (p) => `aucun groupe ${p.groups}.`,
  group_empty: () => "personne dans les groupes choisis : ajoutez-y des personnes, ou choisissez-en d’autres.",
  same_key: () => "deux questions ont cette clé : donnez à chacune la sienne.",
  needs_choices: () => "ajoutez au moins un choix.",
  no_choices: () => "ce type de question n’a pas de choix.",
  same_choice: () => "deux choix sont identiques.",
};

export const fieldProblemSentences: Record<Locale, Sentences> = { en, fr };

/** The sentence for a field's problem in a language (a code newer than the caller: the generic one). */
export function fieldProblemSentence(locale: Locale, problem: { code: string; params?: FieldProblemParams | undefined }): string {
  const sentences = fieldProblemSentences[locale];
  return (sentences[problem.code as FieldProblemCode] ?? sentences.invalid)(problem.params ?? {});
}

/** The same sentence standing alone, under its field: "Écrivez un nombre." */
export const fieldProblemLine = (locale: Locale, problem: { code: string; params?: FieldProblemParams | undefined }): string =>
  capitalised(fieldProblemSentence(locale, problem));
