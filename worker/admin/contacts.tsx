// The directory in the hosted admin: contacts (search, filters, select and add to a group, add
// by paste), one contact (edit, deactivate, erase), the CSV import (check, then import) and
// groups. Every page calls the same service functions as the API.

import type { Context } from "hono";
import { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import Papa from "papaparse";
import { applyFields, type Channel, DEFAULT_TYPE, type FieldProblem, readContactFields } from "../contacts/fields";
import { changeMembers, createGroup, deleteGroup, listGroups, readGroup } from "../contacts/groups";
import { contactHistory, type LatestInvitation, latestInvitations } from "../contacts/history";
import { type CsvProblem, IMPORT_TEMPLATE } from "../contacts/import";
import { type ContactHistoryItem, GroupBody } from "../contacts/schemas";
import { createPastedContacts, editContact, eraseContactEverywhere, importContacts } from "../contacts/service";
import { type ContactView, listContacts, readContact } from "../contacts/store";
import { listDiscountCodes } from "../discounts/store";
import { invitationEmailDefaults } from "../email/templates/invitation";
import { programEmailDefaults } from "../email/templates/program";
import { errorStatus } from "../errors/codes";
import { type Failure, type Outcome, ProblemError, refusedFields } from "../errors/problem";
import { capitalised, labelled } from "../i18n/grammar";
import { DEFAULT_LOCALE, isLocale } from "../i18n/locales";
import type { InvitationWords } from "../invitations/decide";
import { CreateInvitationsBody, EditInvitationBody, type InvitationView } from "../invitations/schemas";
import { createSessionInvitations } from "../invitations/service";
import { PENDING_INVITATION_STATUSES } from "../invitations/statuses";
import { createInvitationJob } from "../programs/fanout";
import { ProgramInvitationsBody } from "../programs/schemas";
import { listPrograms, readProgram } from "../programs/service";
import { personName } from "../recipients/parse";
import { ledgerFor } from "../sessions/ledger-client";
import type { SessionView } from "../sessions/schemas";
import { listSessions } from "../sessions/service";
import type { AdminEnv } from "./context";
import { directoryStrings } from "./directory-i18n";
import { discountAmount } from "./discounts";
import { discountStrings } from "./discounts-i18n";
import { EmailWordsFields, editedWordsOf, emailWordsOf } from "./email-words";
import { CheckboxField, ErrorSummary, type FieldErrors, InputField, localeOptions, RadioField, SelectField, TextareaField } from "./fields";
import { messagePage } from "./guard";
import { formatInstant } from "./i18n";
import { AdminPage, ConfirmPage, CsrfField, PostButton } from "./layout";
import { SendField } from "./programs";
import { programStrings } from "./programs-i18n";

export const directoryPages = new Hono<AdminEnv>();

const d = (c: Context<AdminEnv>) => directoryStrings[c.var.locale];

/**
 * A contact nobody gave a type is stored as "member", the API's word. The admin shows that word in
 * its own language ("membre"); a form sent back with the type as shown keeps the stored one, and the
 * Type filter given that word finds both the contacts stored as "member" and those typed "membre".
 */
const shownType = (type: string, word: string) => (type === DEFAULT_TYPE ? word : type);
const typeOf = (typed: string, stored: string, word: string) => (typed === shownType(stored, word) ? stored : typed || DEFAULT_TYPE);
const filteredTypes = (typed: string, word: string) =>
  typed.toLowerCase() === word.toLowerCase() && typed !== DEFAULT_TYPE ? [typed, DEFAULT_TYPE] : [typed];

/** The confirmation named by `?notice=` after a redirect; counts come along as numbers. */
const notice = (c: Context<AdminEnv>) => {
  const key = c.req.query("notice");
  const count = (name: string) => Math.max(0, Number.parseInt(c.req.query(name) ?? "0", 10) || 0);
  if (key === "added") return d(c).contacts.added(count("created"), count("existing"));
  if (key === "imported") return d(c).import.applied({ create: count("created"), update: count("updated") });
  const notices = d(c).notices;
  return key && Object.hasOwn(notices, key) ? (notices[key] ?? null) : null;
};
const text = (value: unknown) => (typeof value === "string" ? value : "");
const nameOf = (contact: Pick<ContactView, "firstName" | "lastName" | "email" | "phone">, fallback: string) =>
  personName(contact) || contact.email || contact.phone || fallback;
type Problem = Pick<FieldProblem, "code" | "params">;
/** A field problem in the reader's words, as it follows the field's name. */
const problemText = (c: Context<AdminEnv>, p: Problem) => (d(c).problems[p.code] ?? d(c).problems.invalid)(p.params ?? {});
/** The field's name as the contact form labels it. */
const fieldLabel = (c: Context<AdminEnv>, field: string) => {
  const labels = d(c).contact as Record<string, unknown>;
  return typeof labels[field] === "string" ? (labels[field] as string) : field;
};
/** A column of an import file: its label, and the column's own name where the label differs ("Téléphone (phone)"). */
const columnLabel = (c: Context<AdminEnv>, field: string) => {
  const label = fieldLabel(c, field);
  return label.toLowerCase() === field.toLowerCase() ? label : `${label} (${field})`;
};
/** Problems as the form shows them: under each field, the first problem found for it. */
const formErrors = (c: Context<AdminEnv>, problems: readonly (Problem & { field: string })[]): FieldErrors => {
  const errors: FieldErrors = {};
  for (const p of problems) errors[p.field] ??= capitalised(problemText(c, p));
  return errors;
};
/** The service's field errors (`path` for `field`), as the form shows them. */
const failureErrors = (c: Context<AdminEnv>, failure: Failure): FieldErrors =>
  formErrors(
    c,
    refusedFields(failure).map((e) => ({
      field: e.path,
      code: e.code,
      params: e.params,
    })),
  );

// ─── contacts list ───────────────────────────────────────────────────────────────────────────

async function contactsPage(
  c: Context<AdminEnv>,
  opts: { alert?: string; errors?: FieldErrors; recipients?: string; status?: ContentfulStatusCode } = {},
) {
  const t = c.var.t;
  const s = d(c).contacts;
  const b = d(c).bulk;
  const orgId = c.var.admin.orgId;
  const q = c.req.query();
  const status = q.status === "active" || q.status === "deactivated" ? q.status : undefined;
  const [page, groups] = await Promise.all([
    listContacts(c.env.DB, orgId, {
      q: q.q?.slice(0, 100),
      group: q.group || undefined,
      type: q.type ? filteredTypes(q.type.slice(0, 40), s.defaultType) : undefined,
      tag: q.tag?.slice(0, 40) || undefined,
      status,
      limit: 50,
      cursor: q.cursor?.slice(0, 400) || undefined,
    }),
    listGroups(c.env.DB, orgId),
  ]);
  const [programs, upcoming, discounts, invited] = page.contacts.length
    ? await Promise.all([
        listPrograms(c.env.DB, orgId),
        listSessions(c.env.DB, orgId, { when: "upcoming", limit: 100 }, c.var.clock.now()),
        listDiscountCodes(c.env.DB, orgId, true),
        latestInvitations(
          c.env.DB,
          orgId,
          page.contacts.map((contact) => contact.id),
          c.var.clock.now(),
        ),
      ])
    : [[], null, null, new Map<string, LatestInvitation>()];
  const sessions = upcoming?.ok ? upcoming.value.sessions.filter((session) => session.status !== "cancelled") : [];
  const h = d(c).history;
  const groupOptions = groups.map((g) => ({ value: g.id, label: g.name }));
  const next = page.nextCursor ? `?${new URLSearchParams({ ...q, cursor: page.nextCursor })}` : null;
  return c.html(
    <AdminPage locale={c.var.locale} t={t} title={s.title} admin={c.var.admin} current="contacts" notice={notice(c)}>
      <h1>{s.title}</h1>
      <p>{s.intro}</p>
      <p class="actions">
        <a href="/admin/contacts/import">{s.importLink}</a>
        <a href="/admin/groups">{s.groupsLink}</a>
      </p>
      {opts.alert && (
        <p class="alert" role="alert">
          {opts.alert}
        </p>
      )}
      <form method="get" action="/admin/contacts" class="card" aria-label={s.filter}>
        <div class="row">
          <InputField name="q" label={s.search} value={q.q ?? ""} type="search" attrs={{ maxlength: 100 }} />
          <SelectField name="group" label={s.group} value={q.group ?? ""} options={[{ value: "", label: s.any }, ...groupOptions]} />
          <InputField name="type" label={s.type} value={q.type ?? ""} attrs={{ maxlength: 40 }} />
          <InputField name="tag" label={s.tag} value={q.tag ?? ""} attrs={{ maxlength: 40 }} />
          <SelectField
            name="status"
            label={s.status}
            value={status ?? ""}
            options={[
              { value: "", label: s.any },
              { value: "active", label: s.statuses.active! },
              { value: "deactivated", label: s.statuses.deactivated! },
            ]}
          />
        </div>
        <button type="submit">{s.filter}</button>
      </form>
      <p role="status">{s.count(page.contacts.length, page.total)}</p>
      {page.contacts.length ? (
        <form method="post" action="/admin/contacts/bulk">
          <CsrfField admin={c.var.admin} />
          <div class="scroll">
            <table class="cards">
              <thead>
                <tr>
                  <th scope="col">
                    <label class="select-all">
                      <input type="checkbox" data-select-all="contactIds" hidden />
                      <span class="visually-hidden">{s.selectAll}</span>
                    </label>
                  </th>
                  <th scope="col">{s.name}</th>
                  <th scope="col">{s.email}</th>
                  <th scope="col">{s.phone}</th>
                  <th scope="col">{s.type}</th>
                  <th scope="col">{s.groups}</th>
                  <th scope="col">{s.status}</th>
                  <th scope="col">{s.invitation}</th>
                </tr>
              </thead>
              <tbody>
                {page.contacts.map((contact) => {
                  const latest = invited.get(contact.id);
                  const name = nameOf(contact, s.unnamed);
                  return (
                    <tr>
                      <td class="pick">
                        <input type="checkbox" name="contactIds" value={contact.id} aria-label={s.select(name)} />
                      </td>
                      <td>
                        <a href={`/admin/contacts/${contact.id}`}>{name}</a>
                      </td>
                      <td data-label={s.email}>{contact.email}</td>
                      <td class="words" data-label={s.phone}>
                        {contact.phone}
                      </td>
                      <td class="words" data-label={s.type}>
                        {shownType(contact.type, s.defaultType)}
                      </td>
                      <td data-label={s.groups}>{contact.groups.map((g) => g.name).join(", ")}</td>
                      <td class="words" data-label={s.status}>
                        {s.statuses[contact.status]}
                      </td>
                      <td data-label={s.invitation}>
                        {latest && (
                          <a href={`/admin/contacts/${contact.id}#history`}>
                            {h.statuses[latest.status] ?? latest.status} · {latest.sessionTitle}
                          </a>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {next && (
            <p>
              <a href={`/admin/contacts${next}`}>{s.more}</a>
            </p>
          )}
          <h2>{s.bulkTitle}</h2>
          {groups.length > 0 && (
            <fieldset class="card">
              <legend>{b.groupTitle}</legend>
              <div class="row">
                <SelectField
                  name="action"
                  label={s.bulkAction}
                  options={[
                    { value: "add", label: s.addToGroup },
                    { value: "remove", label: s.removeFromGroup },
                  ]}
                />
                <SelectField name="groupId" label={s.group} options={groupOptions} />
              </div>
              <button type="submit" name="bulk" value="group">
                {s.apply}
              </button>
            </fieldset>
          )}
          <fieldset class="card">
            <legend>{b.programTitle}</legend>
            {programs.length ? (
              <>
                <SelectField
                  name="programId"
                  label={b.program}
                  hint={b.programHint}
                  options={programs.map((program) => ({ value: program.id, label: program.name }))}
                />
                <CheckboxField name="programHoldSeat" label={b.programHoldSeat} checked={false} />
                <SendField s={programStrings[c.var.locale]} name="programSend" />
                <EmailWordsFields locale={c.var.locale} prefix="program" defaults={programEmailDefaults("…", c.var.locale)} />
                <button type="submit" name="bulk" value="program">
                  {b.inviteToProgram}
                </button>
              </>
            ) : (
              <p>
                {b.noPrograms} <a href="/admin/programs#create">{b.createProgram}</a>
              </p>
            )}
          </fieldset>
          <fieldset class="card">
            <legend>{b.sessionTitle}</legend>
            {sessions.length ? (
              <>
                <SelectField
                  name="sessionId"
                  label={b.session}
                  options={sessions.map((session) => ({
                    value: session.id,
                    label: `${session.title} — ${formatInstant(session.startsAt, session.timeZone, c.var.locale)}`,
                  }))}
                />
                <RadioField
                  name="send"
                  legend={b.send}
                  value="now"
                  options={[
                    { value: "now", label: b.sendNow },
                    { value: "later", label: b.sendLater },
                  ]}
                />
                <CheckboxField name="holdSeat" label={b.holdSeat} checked />
                <SelectField
                  name="locale"
                  label={b.language}
                  hint={b.languageHint}
                  value={c.var.admin.orgSettings.defaultLocale ?? DEFAULT_LOCALE}
                  options={localeOptions}
                />
                {discounts?.length ? (
                  <SelectField
                    name="discountCode"
                    label={discountStrings[c.var.locale].code}
                    options={[
                      { value: "", label: discountStrings[c.var.locale].noDiscount },
                      ...discounts.map((code) => ({ value: code.code, label: `${code.code} (−${discountAmount(code, c.var.locale)})` })),
                    ]}
                  />
                ) : null}
                <button type="submit" name="bulk" value="session">
                  {b.invite}
                </button>
              </>
            ) : (
              <p>
                {b.noSessions} <a href="/admin/sessions/new">{c.var.t.sessions.new}</a>
              </p>
            )}
          </fieldset>
        </form>
      ) : (
        <p class="card">{s.none}</p>
      )}
      <h2 id="add">{s.addTitle}</h2>
      <form method="post" action="/admin/contacts" class="card">
        <CsrfField admin={c.var.admin} />
        <TextareaField
          name="recipients"
          label={s.addRecipients}
          hint={s.addHint}
          value={opts.recipients ?? ""}
          errors={opts.errors}
          required
          attrs={{ rows: 5 }}
        />
        <SelectField name="groupId" label={s.addGroup} options={[{ value: "", label: s.noGroup }, ...groupOptions]} />
        <button type="submit">{s.add}</button>
      </form>
    </AdminPage>,
    opts.status ?? 200,
  );
}

directoryPages.get("/contacts", (c) => contactsPage(c));

directoryPages.post("/contacts", async (c) => {
  const form = await c.req.parseBody();
  const recipients = text(form.recipients);
  const groupId = text(form.groupId);
  const result = await createPastedContacts(
    c.env,
    c.var.admin.orgId,
    { recipients, groupIds: groupId ? [groupId] : undefined },
    c.var.clock.now(),
  );
  if (!result.ok) {
    const s = d(c).contacts;
    const { code, errors, extra } = result.error;
    const message =
      code === "invalid_emails"
        ? s.pasteInvalid((errors ?? []).flatMap((e) => ("entry" in e ? [e.entry] : [])).join(", "))
        : code === "too_many_recipients"
          ? s.pasteTooMany(Number(extra?.count), Number(extra?.max))
          : code === "validation_failed"
            ? (failureErrors(c, result.error).groups ?? s.pasteNone)
            : (result.error.detail ?? c.var.t.errors.generic);
    return contactsPage(c, { errors: { recipients: message }, recipients, status: 422 });
  }
  const { created, existing } = result.value;
  return c.redirect(`/admin/contacts?notice=added&created=${created.length}&existing=${existing.length}`, 303);
});

directoryPages.post("/contacts/bulk", async (c) => {
  const form = await c.req.parseBody({ all: true });
  const ids = ([] as unknown[]).concat(form.contactIds ?? []).filter((v): v is string => typeof v === "string");
  if (!ids.length) return contactsPage(c, { alert: d(c).contacts.noneSelected, status: 422 });
  if (text(form.bulk) === "program") return addToProgram(c, ids, form);
  if (text(form.bulk) === "session") return inviteToSession(c, ids, form);
  const change = text(form.action) === "remove" ? "remove" : "add";
  const result = await changeMembers(c.env, c.var.admin.orgId, text(form.groupId), ids, change, c.var.clock.now());
  if (!result.ok) return messagePage(c, 404, "404", c.var.t.errors.notFound);
  return c.redirect("/admin/contacts?notice=membersChanged", 303);
});

type BulkForm = Record<string, unknown>;

/** The contacts page again, saying why nothing was done (in the admin's words when it has them). */
function refusedBulk(c: Context<AdminEnv>, failure: Failure) {
  const b = d(c).bulk;
  const reason = b.refusals[failure.code] ?? failure.detail ?? failure.code;
  return contactsPage(c, { alert: labelled(b.refused, reason, c.var.locale), status: errorStatus[failure.code] as ContentfulStatusCode });
}

/**
 * "Add to a program": a program invitation job for the selected contacts, started as POST
 * /v1/programs/{id}/invitations starts it (same schema, same function); its page shows the progress.
 */
async function addToProgram(c: Context<AdminEnv>, contactIds: string[], form: BulkForm) {
  const orgId = c.var.admin.orgId;
  const parsed = ProgramInvitationsBody.safeParse({
    contactIds,
    holdSeat: form.programHoldSeat === "on",
    send: form.programSend,
    ...emailWordsOf(form, "program"),
  });
  if (!parsed.success) return refusedBulk(c, { code: "validation_failed" });
  const program = await readProgram(c.env.DB, orgId, text(form.programId).slice(0, 64));
  if (!program) return refusedBulk(c, { code: "not_found" });
  const job = await createInvitationJob(c.env, { orgId, programId: program.id, trigger: "invitations", ...parsed.data }, c.var.clock.now());
  if (!job.ok) return refusedBulk(c, job.error);
  return c.redirect(`/admin/programs/${program.id}?notice=inviting#job-${job.value.id}`, 303);
}

/**
 * "Invite to a session": invitations for the selected contacts through the path of POST
 * /v1/sessions/{id}/invitations (same schema, same function). Sending now asks first; the answer
 * says who was invited and who was skipped, and why.
 */
async function inviteToSession(c: Context<AdminEnv>, contactIds: string[], form: BulkForm) {
  const b = d(c).bulk;
  const orgId = c.var.admin.orgId;
  const send = text(form.send) === "later" ? "later" : "now";
  const holdSeat = form.holdSeat === "on";
  const discountCode = text(form.discountCode) || undefined;
  // The language asked is for people without their own (the org's, unless changed).
  const locale = text(form.locale) || undefined;
  const parsed = CreateInvitationsBody.safeParse({ contactIds, send, holdSeat, discountCode, locale });
  if (!parsed.success) return refusedBulk(c, { code: "validation_failed" });
  const ledger = ledgerFor(c.env, text(form.sessionId).slice(0, 64));
  const read = ledger.ok ? ((await ledger.value.read(orgId)) as Outcome<SessionView>) : null;
  if (!ledger.ok || !read?.ok) return refusedBulk(c, { code: "not_found" });
  const session = read.value;
  if (send === "now" && text(form.confirmed) !== "1") {
    const title = b.confirmTitle(contactIds.length, session.title);
    return c.html(
      <AdminPage locale={c.var.locale} t={c.var.t} title={title} admin={c.var.admin} current="contacts" narrow>
        <h1>{title}</h1>
        <div class="card">
          <p>{formatInstant(session.startsAt, session.timeZone, c.var.locale)}</p>
          <p>{b.confirmWarning}</p>
          <form method="post" action="/admin/contacts/bulk" class="actions">
            <CsrfField admin={c.var.admin} />
            {contactIds.map((id) => (
              <input type="hidden" name="contactIds" value={id} />
            ))}
            <input type="hidden" name="bulk" value="session" />
            <input type="hidden" name="sessionId" value={session.id} />
            <input type="hidden" name="send" value="now" />
            {holdSeat && <input type="hidden" name="holdSeat" value="on" />}
            {discountCode && <input type="hidden" name="discountCode" value={discountCode} />}
            {locale && <input type="hidden" name="locale" value={locale} />}
            <input type="hidden" name="confirmed" value="1" />
            <button type="submit">{b.confirmSend}</button>
            <a href="/admin/contacts">{c.var.t.cancel}</a>
          </form>
        </div>
      </AdminPage>,
    );
  }
  let created: Awaited<ReturnType<typeof createSessionInvitations>>;
  try {
    created = await createSessionInvitations(
      c.env,
      ledger.value,
      session.id,
      orgId,
      parsed.data,
      `member:${c.var.admin.memberId}`,
      c.var.clock.now(),
    );
  } catch (error) {
    if (error instanceof ProblemError) return refusedBulk(c, error.failure);
    throw error;
  }
  const skipped = created.skipped.map((x) => ({ email: x.email, reason: x.reason, contactId: "contactId" in x ? x.contactId : null }));
  // Skipped contacts without an address are named from the directory.
  const named = new Map(
    await Promise.all(
      skipped
        .filter((x) => x.contactId && !x.email)
        .map(async (x) => [x.contactId!, await readContact(c.env.DB, orgId, x.contactId!)] as const),
    ),
  );
  const title = b.resultTitle(session.title);
  return c.html(
    <AdminPage locale={c.var.locale} t={c.var.t} title={title} admin={c.var.admin} current="contacts">
      <p>
        <a href="/admin/contacts">← {b.back}</a>
      </p>
      <h1>{title}</h1>
      <p role="status" class={created.invitations.length ? "notice" : "alert"}>
        {b.invited(created.invitations.length, send === "now")}
      </p>
      {skipped.length > 0 && (
        <section class="card" aria-labelledby="skipped">
          <h2 id="skipped">{b.skippedCount(skipped.length)}</h2>
          <table class="cards">
            <thead>
              <tr>
                <th scope="col">{b.person}</th>
                <th scope="col">{b.reason}</th>
              </tr>
            </thead>
            <tbody>
              {skipped.map((x) => {
                const contact = x.contactId ? named.get(x.contactId) : null;
                const who = x.email || (contact ? nameOf(contact, d(c).contacts.unnamed) : d(c).contacts.unnamed);
                return (
                  <tr>
                    <td data-label={b.person}>{x.contactId ? <a href={`/admin/contacts/${x.contactId}`}>{who}</a> : who}</td>
                    <td data-label={b.reason}>{b.reasons[x.reason] ?? x.reason}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
      )}
      <p class="actions">
        <a href={`/admin/sessions/${session.id}`}>{b.openSession}</a>
        <a href="/admin/contacts">{b.back}</a>
      </p>
    </AdminPage>,
  );
}

// ─── import (before /contacts/:id, which would take its path) ──────────────────────────────────────────────────────────────────────────────────

const COUNTRIES = ["FR", "BE", "CH", "CA", "US", "GB", "IE", "DE", "ES", "IT", "NL", "LU", "PT"];

function countryOptions(locale: "en" | "fr", none: string) {
  const names = new Intl.DisplayNames([locale], { type: "region" });
  return [{ value: "", label: none }, ...COUNTRIES.map((code) => ({ value: code, label: names.of(code) ?? code }))];
}

type ImportView = Awaited<ReturnType<typeof importContacts>>;

function importPage(
  c: Context<AdminEnv>,
  opts: { csv?: string; country?: string; onlyEmpty?: boolean; result?: ImportView; alert?: string; status?: 200 | 422 } = {},
) {
  const t = c.var.t;
  const s = d(c).import;
  const plan = opts.result?.ok ? opts.result.value.plan : null;
  const writable = plan ? plan.counts.create + plan.counts.update : 0;
  return c.html(
    <AdminPage locale={c.var.locale} t={t} title={s.title} admin={c.var.admin} current="contacts">
      <p>
        <a href="/admin/contacts">← {d(c).contacts.title}</a>
      </p>
      <h1>{s.title}</h1>
      <p>{s.intro}</p>
      <p>
        <a href="/admin/contacts/import/template" download="contacts-template.csv">
          {s.template}
        </a>
      </p>
      {opts.alert && (
        <p class="alert" role="alert">
          {opts.alert}
        </p>
      )}
      {plan && (
        <section class="card" aria-labelledby="check-result">
          <h2 id="check-result" tabindex={-1}>
            {s.result(plan.counts)}
          </h2>
          {plan.newGroups.length > 0 && <p>{s.newGroups(plan.newGroups.join(", "))}</p>}
          <div class="scroll">
            <table class="cards">
              <thead>
                <tr>
                  <th scope="col">{s.line}</th>
                  <th scope="col">{d(c).contacts.email}</th>
                  <th scope="col">{s.verdict}</th>
                  <th scope="col">{s.details}</th>
                </tr>
              </thead>
              <tbody>
                {plan.rows.map((row) => (
                  <tr class={row.verdict === "error" ? "error-row" : undefined}>
                    <td data-label={s.line}>{row.line}</td>
                    <td data-label={d(c).contacts.email}>{row.email}</td>
                    <td data-label={s.verdict}>{s.verdicts[row.verdict]}</td>
                    <td data-label={s.details}>
                      {row.verdict === "error"
                        ? row.errors.map((e) => <div>{labelled(columnLabel(c, e.field), problemText(c, e), c.var.locale)}</div>)
                        : row.changes.map((field) => fieldLabel(c, field)).join(", ")}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {!opts.country && plan.rows.some((row) => row.errors.some((e) => e.code === "phone_needs_country")) && <p>{s.chooseCountry}</p>}
          {plan.counts.error > 0 ? (
            <p class="alert">{s.fixFirst}</p>
          ) : writable > 0 ? (
            <form method="post" action="/admin/contacts/import" class="actions">
              <CsrfField admin={c.var.admin} />
              <input type="hidden" name="country" value={opts.country ?? ""} />
              {opts.onlyEmpty && <input type="hidden" name="onlyEmpty" value="on" />}
              <textarea name="csv" hidden>
                {opts.csv ?? ""}
              </textarea>
              <input type="hidden" name="apply" value="1" />
              <button type="submit">{s.apply(writable)}</button>
            </form>
          ) : (
            <p>{s.nothing}</p>
          )}
        </section>
      )}
      <form method="post" action="/admin/contacts/import" enctype="multipart/form-data" class="card">
        <CsrfField admin={c.var.admin} />
        <div class="field">
          <label for="file">{s.file}</label>
          <input id="file" name="file" type="file" accept=".csv,text/csv,text/plain" />
        </div>
        <TextareaField name="csv" label={s.paste} value={plan ? "" : (opts.csv ?? "")} inputClass="code" attrs={{ rows: 6 }} />
        <SelectField name="country" label={s.country} value={opts.country ?? ""} options={countryOptions(c.var.locale, s.noCountry)} />
        <CheckboxField name="onlyEmpty" label={s.onlyEmpty} hint={s.onlyEmptyHint} checked={opts.onlyEmpty ?? false} />
        <button type="submit">{s.check}</button>
      </form>
    </AdminPage>,
    opts.status ?? 200,
  );
}

directoryPages.get("/contacts/import", (c) => importPage(c));

directoryPages.get("/contacts/import/template", (c) => {
  return c.body(IMPORT_TEMPLATE, 200, {
    "content-type": "text/csv; charset=utf-8",
    "content-disposition": 'attachment; filename="contacts-template.csv"',
  });
});

/** Why a file was not imported, in the reader's words. */
function importFailure(c: Context<AdminEnv>, failure: Failure): string {
  const s = d(c).import;
  if (failure.code === "invalid_csv" && failure.extra?.csv) return s.csv(failure.extra.csv as CsvProblem);
  if (failure.code === "import_has_errors") return s.fixFirst;
  if (failure.code === "idempotency_conflict") return s.conflict;
  return failure.detail ?? c.var.t.errors.generic;
}

directoryPages.post("/contacts/import", async (c) => {
  const form = await c.req.parseBody();
  const file = form.file instanceof File && form.file.size > 0 ? await form.file.text() : "";
  const csv = file || text(form.csv);
  const country = /^[A-Z]{2}$/.test(text(form.country)) ? text(form.country) : undefined;
  const onlyEmpty = text(form.onlyEmpty) === "on";
  if (!csv.trim()) return importPage(c, { alert: d(c).import.empty, country, onlyEmpty, status: 422 });
  const apply = text(form.apply) === "1";
  const result = await importContacts(
    c.env,
    c.var.admin.orgId,
    { csv, dryRun: !apply, defaultCountry: country, onlyEmptyFields: onlyEmpty },
    c.var.clock.now(),
  );
  if (!result.ok) return importPage(c, { csv, country, onlyEmpty, alert: importFailure(c, result.error), status: 422 });
  if (apply) {
    const { counts } = result.value.plan;
    return c.redirect(`/admin/contacts?notice=imported&created=${counts.create}&updated=${counts.update}`, 303);
  }
  return importPage(c, { csv, country, onlyEmpty, result });
});

// ─── one contact ─────────────────────────────────────────────────────────────────────────────

/** The contact form's fields, top to bottom: the order its error summary lists them in. */
const FORM_FIELDS = [
  "firstName",
  "lastName",
  "email",
  "phone",
  "channel",
  "locale",
  "type",
  "tags",
  "groups",
  "externalId",
  "deactivateAt",
  "notes",
];
const inFormOrder = (errors: FieldErrors): FieldErrors =>
  Object.fromEntries(Object.entries(errors).sort(([a], [b]) => FORM_FIELDS.indexOf(a) - FORM_FIELDS.indexOf(b)));

/** One contact's page; `form` is what the form shows when it was sent back refused. */
async function contactPage(
  c: Context<AdminEnv>,
  contact: ContactView,
  opts: { errors?: FieldErrors; status?: 200 | 409 | 422; form?: ContactView } = {},
) {
  const t = c.var.t;
  const s = d(c).contact;
  const groups = await listGroups(c.env.DB, c.var.admin.orgId);
  const name = nameOf(contact, d(c).contacts.unnamed);
  const v = opts.form ?? contact;
  const member = new Set(v.groups.map((g) => g.id));
  const history = await contactHistory(c.env.DB, c.var.admin.orgId, contact.id, c.var.clock.now());
  return c.html(
    <AdminPage locale={c.var.locale} t={t} title={name} admin={c.var.admin} current="contacts" notice={notice(c)}>
      <p>
        <a href="/admin/contacts">← {d(c).contacts.title}</a>
      </p>
      <h1>
        {name} <span class="badge">{s.status(contact.status)}</span>
      </h1>
      <ErrorSummary
        t={t}
        errors={inFormOrder(opts.errors ?? {})}
        labels={Object.fromEntries(FORM_FIELDS.map((f) => [f, fieldLabel(c, f)]))}
      />
      <form method="post" action={`/admin/contacts/${contact.id}`} class="card">
        <CsrfField admin={c.var.admin} />
        <div class="row">
          <InputField name="firstName" label={s.firstName} value={v.firstName} errors={opts.errors} attrs={{ maxlength: 100 }} />
          <InputField name="lastName" label={s.lastName} value={v.lastName} errors={opts.errors} attrs={{ maxlength: 100 }} />
        </div>
        <div class="row">
          <InputField name="email" label={s.email} type="email" value={v.email} errors={opts.errors} attrs={{ maxlength: 254 }} />
          <InputField name="phone" label={s.phone} hint={s.phoneHint} type="tel" value={v.phone} errors={opts.errors} />
        </div>
        <div class="row">
          <SelectField
            name="channel"
            label={s.channel}
            value={v.channel}
            options={[
              { value: "email", label: s.channels.email! },
              { value: "sms", label: s.channels.sms! },
            ]}
            errors={opts.errors}
          />
          <SelectField
            name="locale"
            label={s.locale}
            value={v.locale ?? ""}
            options={[{ value: "", label: s.sameAsOrg }, ...localeOptions]}
          />
          <InputField
            name="type"
            label={s.type}
            hint={s.typeHint}
            value={shownType(v.type, d(c).contacts.defaultType)}
            errors={opts.errors}
            attrs={{ maxlength: 40 }}
          />
        </div>
        <InputField name="tags" label={s.tags} hint={s.tagsHint} value={v.tags.join(", ")} errors={opts.errors} />
        {groups.length > 0 && (
          <fieldset class="field">
            <legend class="label">{s.groups}</legend>
            {groups.map((g) => (
              <CheckboxField name={`group-${g.id}`} label={g.name} checked={member.has(g.id)} />
            ))}
          </fieldset>
        )}
        <div class="row">
          <InputField name="externalId" label={s.externalId} value={v.externalId} errors={opts.errors} attrs={{ maxlength: 100 }} />
          <InputField
            name="deactivateAt"
            label={s.deactivateAt}
            hint={s.deactivateHint}
            type="date"
            value={v.deactivateAt?.slice(0, 10)}
            errors={opts.errors}
          />
        </div>
        <TextareaField name="notes" label={s.notes} value={v.notes} errors={opts.errors} attrs={{ maxlength: 2000 }} />
        <button type="submit">{s.save}</button>
      </form>
      <div class="actions">
        {contact.status === "active" ? (
          <a href={`/admin/contacts/${contact.id}/deactivate`}>{s.deactivate}</a>
        ) : (
          <PostButton admin={c.var.admin} action={`/admin/contacts/${contact.id}/status`} fields={{ status: "active" }}>
            {s.reactivate}
          </PostButton>
        )}
        <a href={`/admin/contacts/${contact.id}/erase`}>{s.erase}</a>
      </div>
      <HistoryTable c={c} contactId={contact.id} items={history.ok ? history.value.items : []} />
    </AdminPage>,
    opts.status ?? 200,
  );
}

const pending = new Set<string>(PENDING_INVITATION_STATUSES);

/** The contact's invitations and registrations, each invitation with the actions its status allows. */
function HistoryTable({ c, contactId, items }: { c: Context<AdminEnv>; contactId: string; items: ContactHistoryItem[] }) {
  const h = d(c).history;
  const when = (item: ContactHistoryItem) => item.cancelledAt ?? item.updatedAt ?? item.createdAt;
  const action = (item: ContactHistoryItem, move: "send" | "resend") => (
    <PostButton
      admin={c.var.admin}
      action={`/admin/contacts/${contactId}/invitations/${item.id}/${move}`}
      label={h.actionLabel(h[move], item.sessionTitle)}
    >
      {h[move]}
    </PostButton>
  );
  return (
    <section aria-labelledby="history">
      <h2 id="history">{h.title}</h2>
      <p>{h.intro}</p>
      {items.length ? (
        <table class="cards">
          <thead>
            <tr>
              <th scope="col">{h.session}</th>
              <th scope="col">{h.startsAt}</th>
              <th scope="col">{h.kind}</th>
              <th scope="col">{h.status}</th>
              <th scope="col">{h.date}</th>
              <th scope="col">{h.actions}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr>
                <td data-label={h.session}>
                  <a href={`/admin/sessions/${item.sessionId}`}>{item.sessionTitle}</a>
                </td>
                <td data-label={h.startsAt}>{formatInstant(item.startsAt, item.timeZone, c.var.locale)}</td>
                <td class="words" data-label={h.kind}>
                  {h.kinds[item.kind]}
                </td>
                <td class="words" data-label={h.status}>
                  {h.statuses[item.status] ?? item.status}
                </td>
                <td data-label={h.date}>{formatInstant(when(item), item.timeZone, c.var.locale)}</td>
                <td>
                  {item.kind === "invitation" && (
                    <div class="actions">
                      {item.status === "draft" && action(item, "send")}
                      {item.status === "draft" && (
                        <a
                          href={`/admin/contacts/${contactId}/invitations/${item.id}/send`}
                          aria-label={h.actionLabel(h.editAndSend, item.sessionTitle)}
                        >
                          {h.editAndSend}
                        </a>
                      )}
                      {item.status === "sent" && action(item, "resend")}
                      {pending.has(item.status) && (
                        <a
                          href={`/admin/contacts/${contactId}/invitations/${item.id}/cancel`}
                          aria-label={h.actionLabel(h.cancel, item.sessionTitle)}
                        >
                          {h.cancel}
                        </a>
                      )}
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="card">{h.none}</p>
      )}
    </section>
  );
}

const contactId = (c: Context<AdminEnv>) => c.req.param("id")?.slice(0, 64) ?? "";

directoryPages.get("/contacts/:id", async (c) => {
  const contact = await readContact(c.env.DB, c.var.admin.orgId, contactId(c));
  return contact ? contactPage(c, contact) : messagePage(c, 404, "404", c.var.t.errors.notFound);
});

directoryPages.post("/contacts/:id", async (c) => {
  const id = contactId(c);
  const contact = await readContact(c.env.DB, c.var.admin.orgId, id);
  if (!contact) return messagePage(c, 404, "404", c.var.t.errors.notFound);
  const form = await c.req.parseBody();
  const groups = (await listGroups(c.env.DB, c.var.admin.orgId)).filter((g) => form[`group-${g.id}`] === "on").map((g) => g.id);
  const channel: Channel = text(form.channel) === "sms" ? "sms" : "email";
  const locale = text(form.locale);
  const blank = (name: string) => text(form[name]).trim() || null;
  const sent = {
    firstName: blank("firstName"),
    lastName: blank("lastName"),
    email: blank("email"),
    phone: blank("phone"),
    channel,
    locale: locale === "" ? null : locale,
    type: typeOf(text(form.type).trim(), contact.type, d(c).contacts.defaultType),
    tags: text(form.tags)
      .split(",")
      .map((v) => v.trim())
      .filter(Boolean),
    groups,
    externalId: blank("externalId"),
    notes: blank("notes"),
    deactivateAt: blank("deactivateAt"),
  };
  // On a refusal the form shows what was typed, not what is stored.
  const again = (errors: FieldErrors, status: 409 | 422) =>
    contactPage(c, contact, {
      errors,
      status,
      form: { ...contact, ...sent, locale: isLocale(locale) ? locale : null, groups: groups.map((id) => ({ id, name: "" })) },
    });
  // The API's schema checks the form too (what the API would refuse, the admin refuses), and the
  // rules across fields run on the fields that passed, so one answer names every field to fix.
  const fields = readContactFields(sent);
  if (fields.problems.length) {
    const across = applyFields(contact, fields.value);
    return again(formErrors(c, [...fields.problems, ...(across.ok ? [] : across.problems)]), 422);
  }
  const edited = await editContact(c.env, c.var.admin.orgId, id, fields.value, c.var.clock.now());
  if (!edited.ok) {
    const exists = edited.error.code === "contact_exists";
    return again(exists ? { email: d(c).contact.exists } : failureErrors(c, edited.error), exists ? 409 : 422);
  }
  return c.redirect(`/admin/contacts/${id}?notice=contactSaved`, 303);
});

// Deactivating asks first: it cancels what the person has open in the org's sessions at once.
directoryPages.get("/contacts/:id/deactivate", async (c) => {
  const contact = await readContact(c.env.DB, c.var.admin.orgId, contactId(c));
  if (!contact) return messagePage(c, 404, "404", c.var.t.errors.notFound);
  // Deactivated already (another tab, the scheduled run): nothing left to confirm.
  if (contact.status !== "active") return c.redirect(`/admin/contacts/${contact.id}`, 303);
  const s = d(c).contact;
  const name = nameOf(contact, d(c).contacts.unnamed);
  return c.html(
    <ConfirmPage
      locale={c.var.locale}
      t={c.var.t}
      admin={c.var.admin}
      current="contacts"
      title={s.deactivateTitle(name)}
      warning={s.deactivateWarning}
      action={`/admin/contacts/${contact.id}/status`}
      fields={{ status: "deactivated" }}
      confirm={s.deactivateConfirm}
      back={{ href: `/admin/contacts/${contact.id}`, label: c.var.t.cancel }}
    />,
  );
});

directoryPages.post("/contacts/:id/status", async (c) => {
  const form = await c.req.parseBody();
  const status = text(form.status) === "active" ? "active" : "deactivated";
  const edited = await editContact(c.env, c.var.admin.orgId, contactId(c), { status }, c.var.clock.now());
  if (!edited.ok) return messagePage(c, 404, "404", c.var.t.errors.notFound);
  // The notice says what the change did, not only that something was saved.
  const done = status === "active" ? "contactReactivated" : "contactDeactivated";
  return c.redirect(`/admin/contacts/${edited.value.id}?notice=${done}`, 303);
});

directoryPages.get("/contacts/:id/erase", async (c) => {
  const contact = await readContact(c.env.DB, c.var.admin.orgId, contactId(c));
  if (!contact) return messagePage(c, 404, "404", c.var.t.errors.notFound);
  const s = d(c).contact;
  const name = nameOf(contact, d(c).contacts.unnamed);
  return c.html(
    <ConfirmPage
      locale={c.var.locale}
      t={c.var.t}
      admin={c.var.admin}
      current="contacts"
      title={s.eraseTitle(name)}
      warning={s.eraseWarning}
      action={`/admin/contacts/${contact.id}/erase`}
      confirm={s.eraseConfirm}
      back={{ href: `/admin/contacts/${contact.id}`, label: c.var.t.cancel }}
    />,
  );
});

directoryPages.post("/contacts/:id/erase", async (c) => {
  const erased = await eraseContactEverywhere(c.env, c.var.admin.orgId, contactId(c), c.var.clock);
  if (!erased.ok) return messagePage(c, 404, "404", c.var.t.errors.notFound);
  return c.redirect("/admin/contacts?notice=contactErased", 303);
});

// ─── one contact's invitations ───────────────────────────────────────────────────────────────

const invitationId = (c: Context<AdminEnv>) => c.req.param("invitationId")?.slice(0, 80) ?? "";

/** The contact's invitation named in the path (from its history): null for anything else. */
async function contactInvitation(c: Context<AdminEnv>): Promise<ContactHistoryItem | null> {
  const history = await contactHistory(c.env.DB, c.var.admin.orgId, contactId(c), c.var.clock.now());
  if (!history.ok) return null;
  return history.value.items.find((i) => i.kind === "invitation" && i.id === invitationId(c)) ?? null;
}

/**
 * Sends, resends or cancels the invitation through its session's ledger, as the API's routes do;
 * a send from the edit page first gives it the words written there (PATCH /v1/invitations/{id}'s
 * schema and ledger call).
 */
async function moveInvitation(c: Context<AdminEnv>, move: "send" | "resend" | "cancel", words?: InvitationWords) {
  const item = await contactInvitation(c);
  const ledger = item ? ledgerFor(c.env, item.sessionId) : null;
  if (!item || !ledger?.ok) return messagePage(c, 404, "404", c.var.t.errors.notFound);
  const edit = words ? EditInvitationBody.safeParse(words) : null;
  const edited: Outcome<unknown> =
    edit && !edit.success
      ? { ok: false, error: { code: "validation_failed" } }
      : edit
        ? ((await ledger.value.editInvitationWords(c.var.admin.orgId, item.id, edit.data)) as Outcome<unknown>)
        : { ok: true, value: null };
  const moved = edited.ok ? ((await ledger.value.invitationAction(c.var.admin.orgId, item.id, move)) as Outcome<unknown>) : edited;
  if (!moved.ok) {
    const h = d(c).history;
    return c.html(
      <AdminPage locale={c.var.locale} t={c.var.t} title={h.refused} admin={c.var.admin} current="contacts" narrow>
        <h1>{h.refused}</h1>
        <p class="alert" role="alert">
          {h.refusals[moved.error.code] ?? moved.error.detail}
        </p>
        <p>
          <a href={`/admin/contacts/${contactId(c)}#history`}>← {h.title}</a>
        </p>
      </AdminPage>,
      409,
    );
  }
  const notice = { send: "invitationSent", resend: "invitationResent", cancel: "invitationCancelled" }[move];
  return c.redirect(`/admin/contacts/${contactId(c)}?notice=${notice}#history`, 303);
}

directoryPages.post("/contacts/:id/invitations/:invitationId/send", async (c) => {
  const form = await c.req.parseBody();
  return moveInvitation(c, "send", form.words === "1" ? editedWordsOf(form) : undefined);
});

// Seed 002: an invitation still to send can have its email's words edited before it goes.
directoryPages.get("/contacts/:id/invitations/:invitationId/send", async (c) => {
  const item = await contactInvitation(c);
  if (!item) return messagePage(c, 404, "404", c.var.t.errors.notFound);
  const ledger = item.status === "draft" ? ledgerFor(c.env, item.sessionId) : null;
  const listed = ledger?.ok ? ((await ledger.value.listInvitations(c.var.admin.orgId, "draft")) as Outcome<InvitationView[]>) : null;
  const inv = listed?.ok ? listed.value.find((i) => i.id === item.id) : undefined;
  // Sent meanwhile (or no longer to send): its history says where it stands.
  if (!inv) return c.redirect(`/admin/contacts/${contactId(c)}#history`, 303);
  const h = d(c).history;
  const title = h.editTitle(item.sessionTitle);
  return c.html(
    <AdminPage locale={c.var.locale} t={c.var.t} title={title} admin={c.var.admin} current="contacts" narrow>
      <p>
        <a href={`/admin/contacts/${contactId(c)}#history`}>← {h.title}</a>
      </p>
      <h1>{title}</h1>
      <p>{h.editIntro(inv.name ?? inv.email, item.sessionTitle, formatInstant(item.startsAt, item.timeZone, c.var.locale))}</p>
      <form method="post" action={`/admin/contacts/${contactId(c)}/invitations/${item.id}/send`} class="card">
        <CsrfField admin={c.var.admin} />
        <input type="hidden" name="words" value="1" />
        <EmailWordsFields
          locale={c.var.locale}
          defaults={invitationEmailDefaults(item.sessionTitle, inv.locale)}
          values={{ subject: inv.subject, buttonText: inv.buttonText, message: inv.message }}
        />
        <button type="submit">{h.send}</button>
      </form>
    </AdminPage>,
  );
});
directoryPages.post("/contacts/:id/invitations/:invitationId/resend", (c) => moveInvitation(c, "resend"));
directoryPages.post("/contacts/:id/invitations/:invitationId/cancel", (c) => moveInvitation(c, "cancel"));

// Cancelling asks first, as erasing and deleting do.
directoryPages.get("/contacts/:id/invitations/:invitationId/cancel", async (c) => {
  const item = await contactInvitation(c);
  if (!item) return messagePage(c, 404, "404", c.var.t.errors.notFound);
  const h = d(c).history;
  const title = h.cancelTitle(item.sessionTitle);
  return c.html(
    <ConfirmPage
      locale={c.var.locale}
      t={c.var.t}
      admin={c.var.admin}
      current="contacts"
      title={title}
      warning={h.cancelWarning}
      action={`/admin/contacts/${contactId(c)}/invitations/${item.id}/cancel`}
      confirm={h.cancelConfirm}
      back={{ href: `/admin/contacts/${contactId(c)}#history`, label: h.keep }}
    />,
  );
});

// ─── groups ──────────────────────────────────────────────────────────────────────────────────

async function groupsPage(c: Context<AdminEnv>, opts: { errors?: FieldErrors; status?: 200 | 409 | 422 } = {}) {
  const t = c.var.t;
  const s = d(c).groups;
  const groups = await listGroups(c.env.DB, c.var.admin.orgId);
  return c.html(
    <AdminPage locale={c.var.locale} t={t} title={s.title} admin={c.var.admin} current="contacts" notice={notice(c)}>
      <p>
        <a href="/admin/contacts">← {d(c).contacts.title}</a>
      </p>
      <h1>{s.title}</h1>
      <p>{s.intro}</p>
      {groups.length ? (
        <>
          <div class="scroll">
            <table class="cards">
              <thead>
                <tr>
                  <th scope="col">{s.name}</th>
                  <th scope="col">{s.members}</th>
                  <th scope="col">{s.id}</th>
                  <th scope="col">
                    <span class="visually-hidden">{s.delete}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {groups.map((g) => (
                  <tr>
                    <td>
                      <a href={`/admin/contacts?group=${g.id}`}>{g.name}</a>
                    </td>
                    <td data-label={s.members}>{g.memberCount}</td>
                    <td data-label={s.id}>
                      <code>{g.id}</code>
                    </td>
                    <td>
                      <a href={`/admin/groups/${g.id}/delete`} aria-label={s.deleteLabel(g.name)}>
                        {s.delete}
                      </a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p>
            <a href="/admin/groups.csv" download="groups.csv">
              {s.export}
            </a>
          </p>
        </>
      ) : (
        <p class="card">{s.none}</p>
      )}
      <h2>{s.create}</h2>
      <form method="post" action="/admin/groups" class="card">
        <CsrfField admin={c.var.admin} />
        <InputField name="name" label={s.name} required errors={opts.errors} attrs={{ maxlength: 100 }} />
        <button type="submit">{s.create}</button>
      </form>
    </AdminPage>,
    opts.status ?? 200,
  );
}

directoryPages.get("/groups", (c) => groupsPage(c));

directoryPages.get("/groups.csv", async (c) => {
  const groups = await listGroups(c.env.DB, c.var.admin.orgId);
  const csv = Papa.unparse(
    { fields: ["id", "name", "members"], data: groups.map((g) => [g.id, g.name, g.memberCount]) },
    { newline: "\r\n" },
  );
  return c.body(`\uFEFF${csv}\r\n`, 200, {
    "content-type": "text/csv; charset=utf-8",
    "content-disposition": 'attachment; filename="groups.csv"',
  });
});

directoryPages.post("/groups", async (c) => {
  const form = await c.req.parseBody();
  const s = d(c).groups;
  // The API's own schema: what it refuses, the admin refuses.
  const parsed = GroupBody.safeParse({ name: text(form.name) });
  if (!parsed.success) return groupsPage(c, { errors: { name: s.nameInvalid }, status: 422 });
  const created = await createGroup(c.env.DB, c.var.admin.orgId, parsed.data.name, c.var.clock.now());
  if (!created.ok) return groupsPage(c, { errors: { name: s.exists }, status: 409 });
  return c.redirect("/admin/groups?notice=groupCreated", 303);
});

directoryPages.get("/groups/:id/delete", async (c) => {
  const group = await readGroup(c.env.DB, c.var.admin.orgId, c.req.param("id").slice(0, 64));
  if (!group) return messagePage(c, 404, "404", c.var.t.errors.notFound);
  const s = d(c).groups;
  return c.html(
    <ConfirmPage
      locale={c.var.locale}
      t={c.var.t}
      admin={c.var.admin}
      current="contacts"
      title={s.deleteTitle(group.name)}
      warning={s.deleteWarning(group.memberCount)}
      action={`/admin/groups/${group.id}/delete`}
      confirm={s.deleteConfirm}
      back={{ href: "/admin/groups", label: c.var.t.cancel }}
    />,
  );
});

directoryPages.post("/groups/:id/delete", async (c) => {
  const deleted = await deleteGroup(c.env.DB, c.var.admin.orgId, c.req.param("id").slice(0, 64));
  if (!deleted.ok) return messagePage(c, 404, "404", c.var.t.errors.notFound);
  return c.redirect("/admin/groups?notice=groupDeleted", 303);
});
