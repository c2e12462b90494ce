// The hosted admin's registration form builder (/admin/sessions/{id}/form): add, edit, move up or
// down and remove fields of every type, labels and help in English and French, required, choices;
// a preview rendering the same markup as the hosted code page. Plain form posts (no script needed),
// each saved through the session's ledger as the API's PATCH does: every change is a new version,
// so answers already given keep theirs. Removing a field asks first.

import type { Context } from "hono";
import { Hono } from "hono";
import { can } from "../auth/permissions";
import type { Outcome } from "../errors/problem";
import { FIELD_TYPES, type FieldType, type FormField, FormSchema, MAX_CHOICES, MAX_FIELDS } from "../forms/schema";
import type { Locale } from "../i18n/locales";
import { FormFields } from "../pages/form-fields";
import { sessionHostOf } from "../sessions/hosts";
import { ledgerFor } from "../sessions/ledger-client";
import type { SessionView } from "../sessions/schemas";
import type { AdminEnv } from "./context";
import { CheckboxField, type FieldErrors, InputField, SelectField, TextareaField } from "./fields";
import { messagePage } from "./guard";
import { actorOf } from "./hosts";
import { AdminPage, ConfirmPage, CsrfField } from "./layout";

const words = {
  en: {
    link: "Registration form",
    title: (s: string) => `Registration form: ${s}`,
    intro: "The questions people answer when they register. Every change is kept as a new version: answers already given keep theirs.",
    empty: "No questions yet: people register with their name and email address only.",
    fields: "Questions",
    add: "Add a question",
    edit: "Edit the question",
    save: "Save",
    up: "Move up",
    down: "Move down",
    editLink: "Edit",
    remove: "Remove",
    removeTitle: (label: string) => `Remove the question “${label}”?`,
    removeIntro: "People will no longer be asked it. Answers already given stay on the roster and in the CSV.",
    removeConfirm: "Yes, remove it",
    keep: "Keep it",
    preview: "Preview",
    back: "Back to the session",
    key: "Key",
    keyHint: "How the answer is named in the API and the CSV: a small letter, then letters, digits or _.",
    type: "Type",
    labelEn: "Label (English)",
    labelFr: "Label (French)",
    helpEn: "Help (English)",
    helpFr: "Help (French)",
    required: "Required",
    choices: "Choices",
    choicesHint: "One per line: value, or value | English label | French label. For single and multiple choice only.",
    types: {
      text: "Short text",
      longText: "Long text",
      choice: "Single choice",
      multiChoice: "Multiple choice",
      checkbox: "Checkbox (consent)",
      number: "Number",
      date: "Date",
      phone: "Phone",
    } satisfies Record<FieldType, string>,
    required_: "required",
    notFound: "This page does not exist.",
    /** What a refused question's field takes, and the rules between fields by their name. */
    invalid: {
      key: "Start with a small letter, then letters, digits or _, 40 at most.",
      type: "Choose a type from the list.",
      labelEn: "Enter a label on one line, 200 characters at most.",
      labelFr: "Enter a label on one line, 200 characters at most.",
      helpEn: "500 characters at most.",
      helpFr: "500 characters at most.",
      choices: `At most ${MAX_CHOICES} choices, one per line, each 200 characters at most.`,
      same_key: "Another question already has this key: choose another.",
      needs_choices: "Give at least one choice, one per line.",
      no_choices: "Only single and multiple choice questions have choices: leave this empty.",
      same_choice: "Two choices have the same value: make each one different.",
      form: `At most ${MAX_FIELDS} questions.`,
    } as Record<string, string>,
  },
  fr: {
    link: "Formulaire d’inscription",
    title: (s: string) => `Formulaire d’inscription : ${s}`,
    intro:
      "Les questions posées à l’inscription. Chaque modification est gardée comme une nouvelle version : les réponses déjà données gardent la leur.",
    empty: "Aucune question : on s’inscrit avec son nom et son adresse e-mail seulement.",
    fields: "Questions",
    add: "Ajouter une question",
    edit: "Modifier la question",
    save: "Enregistrer",
    up: "Monter",
    down: "Descendre",
    editLink: "Modifier",
    remove: "Retirer",
    removeTitle: (label: string) => `Retirer la question « ${label} » ?`,
    removeIntro: "Elle ne sera plus posée. Les réponses déjà données restent dans la liste des inscrits et le CSV.",
    removeConfirm: "Oui, la retirer",
    keep: "La garder",
    preview: "Aperçu",
    back: "Retour à la séance",
    key: "Clé",
    keyHint: "Le nom de la réponse dans l’API et le CSV : une minuscule, puis lettres, chiffres ou _.",
    type: "Type",
    labelEn: "Libellé (anglais)",
    labelFr: "Libellé (français)",
    helpEn: "Aide (anglais)",
    helpFr: "Aide (français)",
    required: "Obligatoire",
    choices: "Choix",
    choicesHint: "Un par ligne : valeur, ou valeur | libellé anglais | libellé français. Pour les choix uniques et multiples seulement.",
    types: {
      text: "Texte court",
      longText: "Texte long",
      choice: "Choix unique",
      multiChoice: "Choix multiple",
      checkbox: "Case à cocher (consentement)",
      number: "Nombre",
      date: "Date",
      phone: "Téléphone",
    } satisfies Record<FieldType, string>,
    required_: "obligatoire",
    notFound: "Cette page n’existe pas.",
    invalid: {
      key: "Commencez par une minuscule, puis lettres, chiffres ou _, 40 au plus.",
      type: "Choisissez un type dans la liste.",
      labelEn: "Saisissez un libellé sur une ligne, de 200 caractères au plus.",
      labelFr: "Saisissez un libellé sur une ligne, de 200 caractères au plus.",
      helpEn: "500 caractères au plus.",
      helpFr: "500 caractères au plus.",
      choices: `${MAX_CHOICES} choix au plus, un par ligne, de 200 caractères au plus chacun.`,
      same_key: "Une autre question a déjà cette clé : choisissez-en une autre.",
      needs_choices: "Donnez au moins un choix, un par ligne.",
      no_choices: "Seules les questions à choix unique ou multiple ont des choix : laissez vide.",
      same_choice: "Deux choix ont la même valeur : rendez-les différents.",
      form: `${MAX_FIELDS} questions au plus.`,
    } as Record<string, string>,
  },
} satisfies Record<Locale, Record<string, unknown>>;

export const formBuilderPages = new Hono<AdminEnv>();

/** The session page's link to the builder. */
export const formBuilderLabel = (locale: Locale) => words[locale].link;

const outcome = <T,>(answer: unknown) => answer as Outcome<T>;
const actor = (c: Context<AdminEnv>) => `member:${c.var.admin.memberId}`;

/** The org's session; null (404) for another org's, none, or, to a host, one they do not host. */
async function orgSession(c: Context<AdminEnv>, id: string): Promise<SessionView | null> {
  const ledger = ledgerFor(c.env, id);
  if (!ledger.ok) return null;
  const [read, hostMemberId] = await Promise.all([
    ledger.value.read(c.var.admin.orgId).then((r) => outcome<SessionView>(r)),
    sessionHostOf(c.env.DB, c.var.admin.orgId, id),
  ]);
  return read.ok && can(actorOf(c.var.admin), "session:manage", { hostMemberId }) ? read.value : null;
}

type Values = Record<string, string>;

/** A field as the editing form shows it. */
function valuesOf(f: FormField): Values {
  return {
    key: f.key,
    type: f.type,
    labelEn: f.label.en,
    labelFr: f.label.fr,
    helpEn: f.help?.en ?? "",
    helpFr: f.help?.fr ?? "",
    required: f.required ? "on" : "",
    choices: (f.choices ?? [])
      .map((c) => (c.label.en === c.value && c.label.fr === c.value ? c.value : `${c.value} | ${c.label.en} | ${c.label.fr}`))
      .join("\n"),
  };
}

/** The posted field as the API takes it (FieldSchema checks it, with the whole form). */
function fieldInput(v: Values) {
  const choices = (v.choices ?? "")
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line) => {
      const [value = "", en, fr] = line.split("|").map((p) => p.trim());
      return en ? { value, label: { en, fr: fr || en } } : value;
    });
  const picks = v.type === "choice" || v.type === "multiChoice";
  return {
    key: (v.key ?? "").trim(),
    type: v.type,
    label: { en: (v.labelEn ?? "").trim(), fr: (v.labelFr ?? "").trim() || (v.labelEn ?? "").trim() },
    help: { en: (v.helpEn ?? "").trim(), fr: (v.helpFr ?? "").trim() },
    required: v.required === "on",
    ...(picks ? { choices } : {}),
  };
}

/** The form's path of a form issue, as the editing form's field names. */
function errorName(path: PropertyKey[]): string {
  const [, , name, sub] = path.map(String);
  if (name === "label") return sub === "fr" ? "labelFr" : "labelEn";
  if (name === "help") return sub === "fr" ? "helpFr" : "helpEn";
  return name ?? "key";
}

/** Saves the fields as the session's form (a new version); the errors by editing field when refused. */
async function save(c: Context<AdminEnv>, s: SessionView, fields: unknown[], editedIndex: number): Promise<FieldErrors | null> {
  const parsed = FormSchema.safeParse({ fields });
  if (!parsed.success) {
    const errors: FieldErrors = {};
    // Each field's sentence in the member's language; a rule between fields has its own.
    const invalid = words[c.var.locale].invalid;
    const sentence = (i: (typeof parsed.error.issues)[number]) => {
      const problem = i.code === "custom" ? (i.params as { problem?: string } | undefined)?.problem : undefined;
      return (problem && invalid[problem]) || (i.path.length < 2 ? invalid.form : invalid[errorName(i.path)]) || i.message;
    };
    for (const i of parsed.error.issues) if (i.path[1] === editedIndex || i.path.length < 2) errors[errorName(i.path)] ??= sentence(i);
    return Object.keys(errors).length ? errors : { key: parsed.error.issues[0] ? sentence(parsed.error.issues[0]) : invalid.form! };
  }
  const ledger = ledgerFor(c.env, s.id);
  if (!ledger.ok) return { key: "session_not_found" };
  const updated = outcome<SessionView>(
    await ledger.value.update(c.var.admin.orgId, { form: parsed.data.fields.length ? parsed.data : null }, actor(c)),
  );
  return updated.ok ? null : { key: updated.error.detail ?? updated.error.code };
}

function FieldForm(props: {
  w: (typeof words)[Locale];
  values: Values;
  errors: FieldErrors;
  action: string;
  title: string;
  c: Context<AdminEnv>;
}) {
  const { w, values: v, errors } = props;
  return (
    <form method="post" action={props.action} class="card">
      <CsrfField admin={props.c.var.admin} />
      <h2>{props.title}</h2>
      <InputField name="key" label={w.key} hint={w.keyHint} value={v.key} errors={errors} required attrs={{ maxlength: 40 }} />
      <SelectField
        name="type"
        label={w.type}
        value={v.type ?? "text"}
        errors={errors}
        options={FIELD_TYPES.map((t) => ({ value: t, label: w.types[t] }))}
      />
      <InputField name="labelEn" label={w.labelEn} value={v.labelEn} errors={errors} required attrs={{ maxlength: 200 }} />
      <InputField name="labelFr" label={w.labelFr} value={v.labelFr} errors={errors} attrs={{ maxlength: 200 }} />
      <InputField name="helpEn" label={w.helpEn} value={v.helpEn} errors={errors} attrs={{ maxlength: 500 }} />
      <InputField name="helpFr" label={w.helpFr} value={v.helpFr} errors={errors} attrs={{ maxlength: 500 }} />
      <CheckboxField name="required" label={w.required} checked={v.required === "on"} errors={errors} />
      <TextareaField name="choices" label={w.choices} hint={w.choicesHint} value={v.choices} errors={errors} />
      <div class="actions">
        <button type="submit">{w.save}</button>
      </div>
    </form>
  );
}

function builderPage(
  c: Context<AdminEnv>,
  s: SessionView,
  opts: { edit?: string; values?: Values; errors?: FieldErrors } = {},
  status: 200 | 422 = 200,
) {
  const locale = c.var.locale;
  const w = words[locale];
  const fields = s.form?.fields ?? [];
  const base = `/admin/sessions/${s.id}/form`;
  const editing = opts.edit ? fields.find((f) => f.key === opts.edit) : undefined;
  return c.html(
    <AdminPage locale={locale} t={c.var.t} title={w.title(s.title)} admin={c.var.admin} current="sessions">
      <h1>{w.title(s.title)}</h1>
      <p>{w.intro}</p>
      <p>
        <a href={`/admin/sessions/${s.id}`}>{w.back}</a>
      </p>
      <div class="card">
        <h2>{w.fields}</h2>
        {fields.length === 0 ? (
          <p>{w.empty}</p>
        ) : (
          <ol>
            {fields.map((f, i) => (
              <li>
                <strong>{f.label[locale]}</strong> · {w.types[f.type]} · <code>{f.key}</code>
                {f.required ? ` · ${w.required_}` : ""}
                <div class="actions">
                  {i > 0 && (
                    <form method="post" action={`${base}/${f.key}/up`}>
                      <CsrfField admin={c.var.admin} />
                      <button type="submit" class="secondary">
                        {w.up}
                      </button>
                    </form>
                  )}
                  {i < fields.length - 1 && (
                    <form method="post" action={`${base}/${f.key}/down`}>
                      <CsrfField admin={c.var.admin} />
                      <button type="submit" class="secondary">
                        {w.down}
                      </button>
                    </form>
                  )}
                  <a href={`${base}?edit=${encodeURIComponent(f.key)}#edit`}>{w.editLink}</a>
                  <a href={`${base}/${f.key}/remove`}>{w.remove}</a>
                </div>
              </li>
            ))}
          </ol>
        )}
      </div>
      {editing && (
        <div id="edit">
          <FieldForm
            w={w}
            c={c}
            title={w.edit}
            action={`${base}/${editing.key}`}
            values={opts.values ?? valuesOf(editing)}
            errors={opts.errors ?? {}}
          />
        </div>
      )}
      <FieldForm
        w={w}
        c={c}
        title={w.add}
        action={`${base}/add`}
        values={editing ? {} : (opts.values ?? {})}
        errors={editing ? {} : (opts.errors ?? {})}
      />
      {fields.length > 0 && (
        <div class="card">
          <h2>{w.preview}</h2>
          <FormFields fields={fields} locale={locale} idPrefix="preview" />
        </div>
      )}
    </AdminPage>,
    status,
  );
}

const notFound = (c: Context<AdminEnv>) => messagePage(c, 404, "404", words[c.var.locale].notFound);

formBuilderPages.get("/sessions/:id/form", async (c) => {
  const s = await orgSession(c, c.req.param("id"));
  return s ? builderPage(c, s, { edit: c.req.query("edit") }) : notFound(c);
});

formBuilderPages.post("/sessions/:id/form/add", async (c) => {
  const s = await orgSession(c, c.req.param("id"));
  if (!s) return notFound(c);
  const values = (await c.req.parseBody()) as Values;
  const fields = [...(s.form?.fields ?? []), fieldInput(values)];
  const errors = await save(c, s, fields, fields.length - 1);
  if (errors) return builderPage(c, s, { values, errors }, 422);
  return c.redirect(`/admin/sessions/${s.id}/form`, 303);
});

formBuilderPages.get("/sessions/:id/form/:key/remove", async (c) => {
  const s = await orgSession(c, c.req.param("id"));
  const f = s?.form?.fields.find((x) => x.key === c.req.param("key"));
  if (!s || !f) return notFound(c);
  const w = words[c.var.locale];
  const title = w.removeTitle(f.label[c.var.locale]);
  return c.html(
    <ConfirmPage
      locale={c.var.locale}
      t={c.var.t}
      admin={c.var.admin}
      current="sessions"
      title={title}
      warning={w.removeIntro}
      confirm={w.removeConfirm}
      back={{ href: `/admin/sessions/${s.id}/form`, label: w.keep }}
    />,
  );
});

formBuilderPages.post("/sessions/:id/form/:key/:move{up|down|remove}", async (c) => {
  const s = await orgSession(c, c.req.param("id"));
  const fields = [...(s?.form?.fields ?? [])];
  const i = fields.findIndex((f) => f.key === c.req.param("key"));
  if (!s || i < 0) return notFound(c);
  const move = c.req.param("move");
  if (move === "remove") fields.splice(i, 1);
  else {
    const j = move === "up" ? i - 1 : i + 1;
    if (j >= 0 && j < fields.length) [fields[i], fields[j]] = [fields[j]!, fields[i]!];
  }
  const errors = await save(c, s, fields, -1);
  if (errors) return builderPage(c, s, { errors }, 422);
  return c.redirect(`/admin/sessions/${s.id}/form`, 303);
});

formBuilderPages.post("/sessions/:id/form/:key", async (c) => {
  const s = await orgSession(c, c.req.param("id"));
  const fields: unknown[] = [...(s?.form?.fields ?? [])];
  const key = c.req.param("key");
  const i = s?.form?.fields.findIndex((f) => f.key === key) ?? -1;
  if (!s || i < 0) return notFound(c);
  const values = (await c.req.parseBody()) as Values;
  fields[i] = fieldInput(values);
  const errors = await save(c, s, fields, i);
  if (errors) return builderPage(c, s, { edit: key, values, errors }, 422);
  return c.redirect(`/admin/sessions/${s.id}/form`, 303);
});
