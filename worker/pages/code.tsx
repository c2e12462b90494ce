// The code page of a session with a registration code (seed 004, /s/{id}/code): after the right
// code, the people already registered (first name and initial, nothing else), a "that's me" per
// person that emails that registrant the link to their own page (nothing shown on screen), and
// REGISTER with the session's form. Without the code nothing is listed; wrong codes count against
// the client and the session in the ledger, with the API's registrations (10 a client, then 429).
// Plain form posts: it works without JavaScript.

import type { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { Hono } from "hono";
import { clientOf } from "../auth/throttle";
import type { FieldError } from "../errors/fields";
import { fieldErrorsOfIssues } from "../errors/issues";
import { type Failure, refusedFields } from "../errors/problem";
import { checkAnswers } from "../forms/answers";
import type { FormView } from "../forms/schema";
import type { AppEnv } from "../http/context";
import { fieldProblemLine } from "../i18n/field-problems";
import type { Locale } from "../i18n/locales";
import { negotiateLocale } from "../i18n/negotiate";
import { orgsBySession } from "../orgs/orgs";
import { type CodePageEntry, PublicRegistrationBody, type PublicRegistrationResult } from "../registrations/schemas";
import { ledgerFor } from "../sessions/ledger-client";
import { sessionTime } from "../time/when";
import { answerError, type FieldErrors, FormFields, postedAnswers } from "./form-fields";
import { HostedPage, NoticePage, noticeTitles } from "./layout";
import { sendOwnPageLink } from "./own-page-link";

const text = {
  en: {
    title: (session: string) => `Registration code: ${session}`,
    notFound: "This session has no page at this address. Check the link you followed, or ask whoever sent it for a new one.",
    enter: "Enter the session's registration code to see who is registered and to register.",
    code: "Registration code",
    show: "Show the participants",
    wrongCode: "This code is not the session's code.",
    tooMany: (seconds: number) => `Too many wrong codes. Try again in ${seconds} seconds.`,
    registered: "Already registered",
    nobody: "Nobody is registered yet.",
    thatsMe: (name: string) => `That's me (${name})`,
    thatsMeShort: "That's me",
    meSent: "If this registration is yours, a link to your own page is on its way to the address you registered with.",
    register: "Register",
    notListed: "Not on the list? Register here.",
    name: "Your name",
    email: "Your email address",
    fixErrors: "Some answers need your attention.",
    fieldError: {
      name: "Enter your name.",
      email: "Enter a valid email address.",
    },
    done: {
      confirmed: "You are registered. A confirmation is on its way to your inbox.",
      waitlisted: "The session is full: you are on the waitlist. We will email you if a seat frees up.",
      pending_confirmation: "Almost done: confirm your address with the link we just emailed you.",
    },
    refused: {
      already_registered: "This address is already registered. Use “That's me” above to get your link.",
      capacity_full: "The session is full.",
      registration_closed: "Registration is closed.",
      registration_not_open: "Registration is not open yet.",
      session_cancelled: "This session is cancelled.",
      form_changed: "The questions changed meanwhile. Check them and send again.",
      too_many_registrations: "Too many registrations from your network are waiting for this session.",
      other: "The registration did not go through. Try again.",
    } as Record<string, string>,
  },
  fr: {
    title: (session: string) => `Code d’inscription : ${session}`,
    notFound:
      "Cette séance n’a pas de page à cette adresse. Vérifiez le lien suivi, ou demandez-en un nouveau à la personne qui vous l’a envoyé.",
    enter: "Saisissez le code d’inscription de la séance pour voir qui est inscrit et vous inscrire.",
    code: "Code d’inscription",
    show: "Voir les participants",
    wrongCode: "Ce code n’est pas celui de la séance.",
    tooMany: (seconds: number) => `Trop de codes erronés. Réessayez dans ${seconds} secondes.`,
    registered: "Déjà inscrits",
    nobody: "Personne n’est encore inscrit.",
    thatsMe: (name: string) => `C’est moi (${name})`,
    thatsMeShort: "C’est moi",
    meSent: "Si cette inscription est la vôtre, un lien vers votre page est en route vers l’adresse de votre inscription.",
    register: "S’inscrire",
    notListed: "Vous n’êtes pas dans la liste ? Inscrivez-vous ici.",
    name: "Votre nom",
    email: "Votre adresse e-mail",
    fixErrors: "Certaines réponses sont à revoir.",
    fieldError: {
      name: "Saisissez votre nom.",
      email: "Saisissez une adresse e-mail valide.",
    },
    done: {
      confirmed: "Vous êtes inscrit·e. Une confirmation arrive dans votre boîte mail.",
      waitlisted: "La séance est complète : vous êtes sur la liste d’attente. Nous vous écrirons si une place se libère.",
      pending_confirmation: "Presque fini : confirmez votre adresse avec le lien que nous venons de vous envoyer.",
    },
    refused: {
      already_registered: "Cette adresse est déjà inscrite. Utilisez « C’est moi » ci-dessus pour recevoir votre lien.",
      capacity_full: "La séance est complète.",
      registration_closed: "Les inscriptions sont closes.",
      registration_not_open: "Les inscriptions ne sont pas encore ouvertes.",
      session_cancelled: "Cette séance est annulée.",
      form_changed: "Les questions ont changé entre-temps. Vérifiez-les et envoyez à nouveau.",
      too_many_registrations: "Trop d’inscriptions venant de votre réseau attendent pour cette séance.",
      other: "L’inscription n’a pas abouti. Réessayez.",
    } as Record<string, string>,
  },
} satisfies Record<Locale, Record<string, unknown>>;

export const codePages = new Hono<AppEnv>();

type Session = {
  id: string;
  title: string;
  form: FormView | null;
  org: string | null;
  startsAt: string;
  durationMinutes: number;
  timeZone: string;
};

/** The session if it exists and takes a registration code, with its org's name; null otherwise (no page then). */
async function codeSession(env: Env, id: string): Promise<Session | null> {
  const ledger = ledgerFor(env, id);
  const view = ledger.ok ? await ledger.value.readPublic() : null;
  if (!view?.ok || !view.value.registrationCodeRequired) return null;
  const { title, form, startsAt, durationMinutes, timeZone } = view.value;
  const org = (await orgsBySession(env.DB, [id])).get(id)?.name ?? null;
  return { id, title, form, org, startsAt, durationMinutes, timeZone };
}

/** Which session this is: its title, who organises it and when (in its own zone). */
function Heading(props: { s: Session; locale: Locale }) {
  const { s, locale } = props;
  return (
    <>
      <h1>{s.title}</h1>
      <p class="muted">
        {s.org && <>{s.org} · </>}
        {sessionTime(s.startsAt, s.durationMinutes, s.timeZone, locale)}
      </p>
    </>
  );
}

function notFound(c: Context<AppEnv>, locale: Locale) {
  return c.html(<NoticePage locale={locale} title={noticeTitles[locale].notFound} body={text[locale].notFound} />, 404);
}

/** The first step: the code alone (again, with its error, after a wrong one). */
function codeForm(c: Context<AppEnv>, locale: Locale, s: Session, error?: string, status: 200 | 403 | 429 = 200) {
  const t = text[locale];
  return c.html(
    <HostedPage locale={locale} title={t.title(s.title)}>
      <div class="card">
        <Heading s={s} locale={locale} />
        <p>{t.enter}</p>
        <form method="post" novalidate>
          <input type="hidden" name="action" value="list" />
          <label for="code">{t.code}</label>
          <input
            id="code"
            name="code"
            autocomplete="off"
            required
            maxlength={64}
            aria-invalid={error ? "true" : undefined}
            aria-describedby={error ? "code-error" : undefined}
          />
          {error && (
            <p class="error" id="code-error" role="alert">
              {error}
            </p>
          )}
          <button type="submit">{t.show}</button>
        </form>
      </div>
    </HostedPage>,
    status,
  );
}

type Registering = { values: { name?: string; email?: string; answers?: Record<string, unknown> }; errors: FieldErrors; message?: string };

/** After the right code: who is registered, "that's me" for each, and REGISTER with the form. */
function listPage(
  c: Context<AppEnv>,
  locale: Locale,
  s: Session,
  code: string,
  people: CodePageEntry[],
  opts: { notice?: string; registering?: Registering },
) {
  const t = text[locale];
  const r = opts.registering;
  const hasErrors = r && Object.keys(r.errors).length > 0;
  return c.html(
    <HostedPage locale={locale} title={t.title(s.title)}>
      <div class="card">
        <Heading s={s} locale={locale} />
        {opts.notice && (
          <p role="status" class="notice">
            {opts.notice}
          </p>
        )}
        <h2>{t.registered}</h2>
        {people.length === 0 ? (
          <p>{t.nobody}</p>
        ) : (
          <ul class="people">
            {people.map((p) => (
              <li>
                <form method="post">
                  <input type="hidden" name="code" value={code} />
                  <input type="hidden" name="action" value="me" />
                  <input type="hidden" name="who" value={p.id} />
                  <span>{p.shortName}</span>{" "}
                  <button type="submit" class="secondary" aria-label={t.thatsMe(p.shortName)}>
                    {t.thatsMeShort}
                  </button>
                </form>
              </li>
            ))}
          </ul>
        )}
        <h2 id="register">{t.register}</h2>
        <p>{t.notListed}</p>
        {r?.message && (
          <p class="error" role="alert">
            {r.message}
          </p>
        )}
        {hasErrors && !r?.message && (
          <p class="error" role="alert">
            {t.fixErrors}
          </p>
        )}
        <form method="post" novalidate>
          <input type="hidden" name="code" value={code} />
          <input type="hidden" name="action" value="register" />
          <input type="hidden" name="formVersion" value={s.form ? String(s.form.version) : ""} />
          <TextField id="name" label={t.name} value={r?.values.name} error={r?.errors.name} autocomplete="name" />
          <TextField id="email" label={t.email} value={r?.values.email} error={r?.errors.email} autocomplete="email" type="email" />
          {s.form && <FormFields fields={s.form.fields} locale={locale} values={r?.values.answers} errors={r?.errors} />}
          <button type="submit">{t.register}</button>
        </form>
      </div>
    </HostedPage>,
    hasErrors || r?.message ? 422 : 200,
  );
}

function TextField(props: {
  id: string;
  label: string;
  value: string | undefined;
  error: string | undefined;
  autocomplete: string;
  type?: string;
}) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        name={props.id}
        type={props.type ?? "text"}
        required
        value={props.value ?? ""}
        autocomplete={props.autocomplete}
        aria-invalid={props.error ? "true" : undefined}
        aria-describedby={props.error ? `${props.id}-error` : undefined}
      />
      {props.error && (
        <p class="error" id={`${props.id}-error`}>
          {props.error}
        </p>
      )}
    </div>
  );
}

/** The refused fields as the page words them, in its language: the first problem of each. */
function worded(locale: Locale, errors: readonly FieldError[]): FieldErrors {
  const w = text[locale].fieldError;
  const out: FieldErrors = {};
  for (const e of errors)
    out[e.path] ??= e.path === "name" || e.path === "email" ? w[e.path] : (answerError(locale, e) ?? fieldProblemLine(locale, e));
  return out;
}

codePages.get("/s/:id/code", async (c) => {
  const locale = negotiateLocale(c);
  const s = await codeSession(c.env, c.req.param("id"));
  return s ? codeForm(c, locale, s) : notFound(c, locale);
});

codePages.post("/s/:id/code", async (c) => {
  const locale = negotiateLocale(c);
  const t = text[locale];
  const s = await codeSession(c.env, c.req.param("id"));
  if (!s) return notFound(c, locale);
  const body = await c.req.parseBody({ all: true });
  const field = (name: string) => (typeof body[name] === "string" ? (body[name] as string) : "");
  const code = field("code").slice(0, 64);
  const ledger = ledgerFor(c.env, s.id);
  if (!ledger.ok) return notFound(c, locale);
  // Every step presents the code again: the list is never shown without it.
  const list = (await ledger.value.codePage(code, clientOf(c))) as { ok: true; value: CodePageEntry[] } | { ok: false; error: Failure };
  if (!list.ok) {
    if (list.error.code === "rate_limited") {
      const retryAfter = Number(list.error.extra?.retryAfter ?? 60);
      c.header("retry-after", String(retryAfter));
      return codeForm(c, locale, s, t.tooMany(retryAfter), 429);
    }
    if (list.error.code === "invalid_code") return codeForm(c, locale, s, t.wrongCode, 403);
    return notFound(c, locale);
  }
  const action = field("action");
  if (action === "me") {
    // Sent after answering: neither the answer nor its timing says whether the id was someone's.
    const work = sendOwnPageLink(c.env, s.id, field("who"), new URL(c.req.url).origin, c.var.clock.now());
    c.executionCtx.waitUntil(work.catch((error) => console.error("own page link not sent", error)));
    return listPage(c, locale, s, code, list.value, { notice: t.meSent });
  }
  if (action !== "register") return listPage(c, locale, s, code, list.value, {});
  const answers = postedAnswers(s.form?.fields ?? [], body);
  const formVersion = field("formVersion") === "" ? null : Number(field("formVersion"));
  const values = { name: field("name"), email: field("email"), answers };
  const parsed = PublicRegistrationBody.safeParse({ name: values.name, email: values.email, code, answers, locale, formVersion });
  if (!parsed.success) {
    // Every field at once: the answers too, as the ledger will check them.
    const checked = checkAnswers(s.form?.fields ?? null, answers);
    const errors = [...fieldErrorsOfIssues(parsed.error.issues), ...(checked.ok ? [] : refusedFields(checked.error))];
    return listPage(c, locale, s, code, list.value, { registering: { values, errors: worded(locale, errors) } });
  }
  const result = (await ledger.value.register(parsed.data, { client: clientOf(c) })) as
    | { ok: true; value: z.infer<typeof PublicRegistrationResult> }
    | { ok: false; error: Failure };
  if (!result.ok) {
    if (result.error.code === "validation_failed")
      return listPage(c, locale, s, code, list.value, {
        registering: { values, errors: worded(locale, refusedFields(result.error)) },
      });
    const fresh = result.error.code === "form_changed" ? await codeSession(c.env, s.id) : s;
    const message = t.refused[result.error.code] ?? t.refused.other!;
    return listPage(c, locale, fresh ?? s, code, list.value, { registering: { values, errors: {}, message } });
  }
  const after = await ledger.value.codePage(code, clientOf(c));
  const people = after.ok ? (after.value as CodePageEntry[]) : list.value;
  return listPage(c, locale, s, code, people, {
    notice: t.done[result.value.registration.status as keyof typeof t.done] ?? t.done.confirmed,
  });
});
