// The organiser's own words for an invitation email (seed 002: "customize the subject … as well as
// the text on the button"): three optional fields, folded away, and what a form sent of them, as
// the fields of the API's body (an empty field: the email's own words, in each person's language).

import type { Locale } from "../i18n/locales";
import { InputField, TextareaField } from "./fields";

const words = {
  en: {
    legend: "The email's words (optional)",
    hint: "Left empty, each person gets the email's own words in their language. What you write here goes to everyone as written.",
    subject: "Subject",
    buttonText: "Button",
    message: "Message",
    messageHint: "Quoted in the email, after its first sentence.",
  },
  fr: {
    legend: "Les mots de l’e-mail (facultatif)",
    hint: "Laissés vides, chacun reçoit les mots de l’e-mail dans sa langue. Ce que vous écrivez ici part tel quel à tous.",
    subject: "Objet",
    buttonText: "Bouton",
    message: "Message",
    messageHint: "Cité dans l’e-mail, après sa première phrase.",
  },
} satisfies Record<Locale, Record<string, string>>;

/** The fields are named `${prefix}Subject`, `${prefix}ButtonText` and `${prefix}Message` (`subject`… without a prefix). */
const field = (prefix: string, name: "subject" | "buttonText" | "message") =>
  prefix ? `${prefix}${name[0]!.toUpperCase()}${name.slice(1)}` : name;

export function EmailWordsFields(props: {
  locale: Locale;
  prefix?: string;
  defaults: { subject: string; buttonText: string };
  /** The words it has now (editing an invitation), shown unfolded. */
  values?: { subject: string | null; buttonText: string | null; message: string | null };
}) {
  const w = words[props.locale];
  const prefix = props.prefix ?? "";
  return (
    <details class="email-words" open={props.values ? true : undefined}>
      <summary>{w.legend}</summary>
      <p class="hint">{w.hint}</p>
      <InputField
        name={field(prefix, "subject")}
        label={w.subject}
        value={props.values?.subject}
        attrs={{ maxlength: 200, placeholder: props.defaults.subject }}
      />
      <InputField
        name={field(prefix, "buttonText")}
        label={w.buttonText}
        value={props.values?.buttonText}
        attrs={{ maxlength: 60, placeholder: props.defaults.buttonText }}
      />
      <TextareaField
        name={field(prefix, "message")}
        label={w.message}
        hint={w.messageHint}
        value={props.values?.message}
        attrs={{ rows: 3, maxlength: 5000 }}
      />
    </details>
  );
}

/** What a form's fields say, as the API's optional `subject`, `buttonText` and `message` (blank ones left out). */
export function emailWordsOf(form: Record<string, unknown>, prefix = ""): { subject?: string; buttonText?: string; message?: string } {
  const out: { subject?: string; buttonText?: string; message?: string } = {};
  for (const name of ["subject", "buttonText", "message"] as const) {
    const value = form[field(prefix, name)];
    if (typeof value === "string" && value.trim()) out[name] = value;
  }
  return out;
}

/** What an edit form's fields say: each one, a blank one as null (the email's own words again). */
export function editedWordsOf(form: Record<string, unknown>): {
  subject: string | null;
  buttonText: string | null;
  message: string | null;
} {
  const { subject = null, buttonText = null, message = null } = emailWordsOf(form);
  return { subject, buttonText, message };
}
