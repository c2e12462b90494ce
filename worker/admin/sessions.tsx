// The hosted admin's sessions: upcoming and past (from the D1 projection, as the API lists them),
// creating and editing (through the session's ledger, as the API does), one session's page with
// the roster (which carries its own invitation modal) and a button that sends its failed emails
// again, and cancelling.

import type { Context } from "hono";
import { Hono } from "hono";
import { can } from "../auth/permissions";
import { listGroups } from "../contacts/groups";
import { groupNameKey } from "../contacts/import";
import { listContacts } from "../contacts/store";
import { errorStatus } from "../errors/codes";
import { type Outcome, ProblemError } from "../errors/problem";
import { DEFAULT_LOCALE } from "../i18n/locales";
import { CreateInvitationsBody } from "../invitations/schemas";
import { createSessionInvitations, requireMailBudget } from "../invitations/service";
import { decideRecipients } from "../recipients/decide";
import { personName, recipientOf } from "../recipients/parse";
import { hostChange, listHosts, sessionHostOf, setSessionHost } from "../sessions/hosts";
import { ledgerFor } from "../sessions/ledger-client";
import { formatPrice } from "../sessions/price";
import type { SessionView } from "../sessions/schemas";
import { createHostedSession, listSessions } from "../sessions/service";
import type { AdminEnv } from "./context";
import { type FieldErrors, TextareaField } from "./fields";
import { formBuilderLabel } from "./form-builder";
import { messagePage } from "./guard";
import { actorOf, hostLabelOf } from "./hosts";
import { hostStrings } from "./hosts-i18n";
import { formatInstant, type Strings, TAGS } from "./i18n";
import { AdminPage, ConfirmPage, CopyButton, CsrfField, noticeOf as notice } from "./layout";
import {
  blankSession,
  createInput,
  fieldErrorsOf,
  formValues,
  guessedZone,
  SessionForm,
  type SessionFormValues,
  sessionValues,
  updateInput,
} from "./session-form";

export const sessionPages = new Hono<AdminEnv>();

const PAGE_SIZE = 20;
const actor = (c: Context<AdminEnv>) => `member:${c.var.admin.memberId}`;
/** A ledger's answer as the Outcome it is (the RPC stub's typing loses the failure branch). */
const outcome = <T,>(answer: unknown) => answer as Outcome<T>;

/**
 * The org's session, through its ledger, with its host; null for another org's session, no session
 * at all, or (to a host) a session they do not host: the same 404, so a host learns nothing of it.
 */
async function orgSession(c: Context<AdminEnv>, id: string): Promise<(SessionView & { hostMemberId: string | null }) | null> {
  const ledger = ledgerFor(c.env, id);
  if (!ledger.ok) return null;
  const [read, hostMemberId] = await Promise.all([
    ledger.value.read(c.var.admin.orgId).then((r) => outcome<SessionView>(r)),
    sessionHostOf(c.env.DB, c.var.admin.orgId, id),
  ]);
  if (!read.ok || !can(actorOf(c.var.admin), "session:read", { hostMemberId })) return null;
  return { ...read.value, hostMemberId };
}

/** The host select of the session form, for those who may name a session's host. */
async function HostField({ c, value }: { c: Context<AdminEnv>; value: string | null }) {
  if (!can(actorOf(c.var.admin), "session:assign")) return null;
  const h = hostStrings[c.var.locale];
  const hosts = await listHosts(c.env.DB, c.var.admin.orgId);
  // A member named host before losing the role stays selectable until another is chosen.
  const options = [{ value: "", label: h.noHost }, ...hosts.map((m) => ({ value: m.id, label: m.email }))];
  if (value && !hosts.some((m) => m.id === value)) options.push({ value, label: value });
  return (
    <div class="field">
      <label for="hostMemberId">{h.hostField}</label>
      <span class="hint" id="hostMemberId-hint">
        {h.hostHint(hostLabelOf(c))}
      </span>
      <select id="hostMemberId" name="hostMemberId" aria-describedby="hostMemberId-hint">
        {options.map((o) => (
          <option value={o.value} selected={o.value === (value ?? "")}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The host the form names: a host creating a session hosts it; others choose (or keep) one. */
function hostOfForm(c: Context<AdminEnv>, form: Record<string, unknown>, current: string | null): string | null {
  const admin = c.var.admin;
  if (!can(actorOf(admin), "session:assign")) return admin.role === "host" && current === null ? admin.memberId : current;
  return typeof form.hostMemberId === "string" && form.hostMemberId !== "" ? form.hostMemberId : null;
}

const forbidden = (c: Context<AdminEnv>) => messagePage(c, 403, "403", hostStrings[c.var.locale].notYours);

const notFound = (c: Context<AdminEnv>) => messagePage(c, 404, "404", c.var.t.errors.notFound);

function SeatSummary({ s, t }: { s: SessionView; t: Strings }) {
  const taken = Math.max(0, s.seats.capacity - s.seats.available);
  const participants = s.seats.confirmed + s.seats.host;
  const missing = Math.max(0, s.minParticipants - participants);
  const id = `seats-${s.id}`;
  return (
    <div>
      <label for={id} class="visually-hidden">
        {t.sessions.seatsLabel}
      </label>
      <meter
        id={id}
        min="0"
        max={s.seats.capacity}
        value={taken}
        low={Math.min(s.minParticipants, s.seats.capacity)}
        optimum={s.seats.capacity}
      >
        {taken}/{s.seats.capacity}
      </meter>
      <div>
        {t.sessions.seatsTaken(taken, s.seats.capacity)}
        {s.seats.waitlisted ? ` · ${t.sessions.waitlisted(s.seats.waitlisted)}` : ""}
      </div>
      <div class="muted">{missing ? t.sessions.minMissing(missing, s.minParticipants) : t.sessions.minReached(s.minParticipants)}</div>
    </div>
  );
}

const StateBadge = ({ s, t }: { s: SessionView; t: Strings }) => <span class="badge">{t.sessions.state[s.registrationState]}</span>;

sessionPages.get("/sessions", async (c) => {
  const t = c.var.t;
  const when = c.req.query("when") === "past" ? "past" : "upcoming";
  const cursor = c.req.query("cursor");
  const actor = actorOf(c.var.admin);
  // A host's list: the sessions they host ("Sessions > Future", and the past ones).
  const hostMemberId = actor.role === "host" ? actor.memberId : undefined;
  let page = await listSessions(c.env.DB, c.var.admin.orgId, { when, limit: PAGE_SIZE, cursor, hostMemberId }, c.var.clock.now());
  if (!page.ok) page = await listSessions(c.env.DB, c.var.admin.orgId, { when, limit: PAGE_SIZE, hostMemberId }, c.var.clock.now());
  const { sessions, nextCursor } = page.ok ? page.value : { sessions: [], nextCursor: null };
  const tab = (value: "upcoming" | "past", label: string) => (
    <a href={`/admin/sessions?when=${value}`} aria-current={when === value ? "page" : undefined}>
      {label}
    </a>
  );
  return c.html(
    <AdminPage locale={c.var.locale} t={t} title={t.sessions.title} admin={c.var.admin} current="sessions" notice={notice(c)}>
      <h1>{hostMemberId ? hostStrings[c.var.locale].mySessions : t.sessions.title}</h1>
      {can(actor, "session:create") && (
        <div class="actions" style="margin-top:0;margin-bottom:1rem">
          <a class="button" href="/admin/sessions/new">
            {t.sessions.new}
          </a>
        </div>
      )}
      <nav class="tabs" aria-label={t.sessions.title}>
        {tab("upcoming", t.sessions.upcoming)}
        {tab("past", t.sessions.past)}
      </nav>
      {sessions.length ? (
        <ul class="list">
          {sessions.map((s) => (
            <li class="card">
              <h2 style="margin-top:0">
                <a href={`/admin/sessions/${s.id}`}>{s.title}</a>
              </h2>
              <p>
                {formatInstant(s.startsAt, s.timeZone, c.var.locale)} <StateBadge s={s} t={t} />
              </p>
              <SeatSummary s={s} t={t} />
            </li>
          ))}
        </ul>
      ) : (
        <p class="card">{t.sessions.none}</p>
      )}
      {nextCursor && (
        <p>
          <a href={`/admin/sessions?when=${when}&cursor=${encodeURIComponent(nextCursor)}`}>{t.sessions.nextPage}</a>
        </p>
      )}
    </AdminPage>,
  );
});

function formPage(c: Context<AdminEnv>, title: string, form: Parameters<typeof SessionForm>[0], status: 200 | 409 | 422 = 200) {
  return c.html(
    <AdminPage locale={c.var.locale} t={c.var.t} title={title} admin={c.var.admin} current="sessions">
      <h1>{title}</h1>
      <SessionForm {...form} />
    </AdminPage>,
    status,
  );
}

/**
 * "Invite participants" on the new-session form (seed 001), for those who may invite: pasted
 * addresses, invited once the session exists, holding no seat (the session stays open to all).
 */
function InviteField({ c, value, errors }: { c: Context<AdminEnv>; value: string; errors: FieldErrors }) {
  if (!mayInviteToNew(c)) return null;
  const f = c.var.t.form;
  return (
    <>
      {maySearchPeople(c) && <PeopleSearch f={f} />}
      <TextareaField name="invite" label={f.invite} hint={f.inviteHint} value={value} errors={errors} attrs={{ rows: 3 }} />
    </>
  );
}

/** Whether the member may invite to the session they create (a host's new session is theirs). */
const mayInviteToNew = (c: Context<AdminEnv>) => can(actorOf(c.var.admin), "session:invite", { hostMemberId: c.var.admin.memberId });

/** Whether they may also look people up in the org's directory for it (a host: when hosts may invite). */
const maySearchPeople = (c: Context<AdminEnv>) =>
  can(actorOf(c.var.admin), "session:create") && mayInviteToNew(c) && can(actorOf(c.var.admin), "contacts:pick");

const PEOPLE_PATH = "/admin/sessions/new/people";
/** How many matches the search offers at once: a name typed further finds the others. */
const PEOPLE_SHOWN = 8;
const GROUPS_SHOWN = 3;
/** A group's people a choice adds at most: as many as one invitation takes. */
const GROUP_PEOPLE = 200;

/**
 * Seed 001's "start typing the members' names": a combobox over the org's people that adds the
 * chosen person's address to the invite field. admin.js shows it and runs it (the ARIA combobox
 * pattern, its options from PEOPLE_PATH); without the script it stays hidden and addresses are
 * pasted as before. The words it says in the browser come with it, {name} filled in there.
 */
function PeopleSearch({ f }: { f: Strings["form"] }) {
  return (
    <div
      class="field people-search"
      data-people-search={PEOPLE_PATH}
      data-into="invite"
      data-added={f.peopleAdded}
      data-already={f.peopleAlready}
      data-group-added={f.groupAdded}
      hidden
    >
      <label for="people">{f.people}</label>
      <span id="people-hint" class="hint">
        {f.peopleHint}
      </span>
      <input
        id="people"
        type="search"
        role="combobox"
        autocomplete="off"
        spellcheck={false}
        maxlength={100}
        aria-autocomplete="list"
        aria-expanded="false"
        aria-controls="people-options"
        aria-describedby="people-hint"
      />
      <div id="people-options" role="listbox" aria-label={f.people} hidden />
    </div>
  );
}

/** The org's active people with an email address among these contacts, as the invite field takes them. */
const addressable = (found: { id: string; email: string | null; firstName: string | null; lastName: string | null }[]) =>
  found.flatMap((p) => (p.email ? [{ id: p.id, email: p.email, name: personName(p) }] : []));

/**
 * The search's options for `q`, as HTML the script puts in its listbox: the org's groups whose
 * name holds it (seed 001's "batch-select all members of a cohort"), each carrying the lines of its
 * active people with an email address, then the active people with one whose name or address
 * matches, each carrying its line; and a sentence for the status region saying how many.
 */
sessionPages.get("/sessions/new/people", async (c) => {
  if (!maySearchPeople(c)) return forbidden(c);
  const f = c.var.t.form;
  const { DB } = c.env;
  const { orgId } = c.var.admin;
  const q = (c.req.query("q") ?? "").trim().slice(0, 100);
  // Only people with an address, so that many reachable by SMS only hide nobody; one more than
  // shown says whether there are more.
  const found = q ? (await listContacts(DB, orgId, { q, status: "active", withEmail: true, limit: PEOPLE_SHOWN + 1 })).contacts : [];
  const withEmail = addressable(found);
  const people = withEmail.slice(0, PEOPLE_SHOWN);
  const named = q ? (await listGroups(DB, orgId)).filter((g) => groupNameKey(g.name).includes(groupNameKey(q))) : [];
  const groups = (
    await Promise.all(
      named.slice(0, GROUPS_SHOWN).map(async (group) => ({
        group,
        members: addressable(
          (
            await listContacts(DB, orgId, { group: group.id, status: "active", withEmail: true, limit: GROUP_PEOPLE })
          ).contacts,
        ),
      })),
    )
  ).filter((g) => g.members.length > 0);
  const said = !q
    ? ""
    : people.length === 0 && groups.length === 0
      ? f.peopleNone(q)
      : [
          groups.length ? f.groupsFound(groups.length) : "",
          people.length === 0 ? "" : withEmail.length > people.length ? f.peopleMore(people.length) : f.peopleFound(people.length),
        ]
          .filter(Boolean)
          .join(" ");
  return c.html(
    <>
      <div id="people-options">
        {groups.map(({ group, members }) => (
          <div
            role="option"
            tabIndex={-1}
            id={`group-${group.id}`}
            aria-selected="false"
            data-group=""
            data-recipient={members.map((m) => recipientOf(m.name, m.email)).join("\n")}
            data-email={members.map((m) => m.email).join(" ")}
            data-label={group.name}
          >
            {f.group(group.name)}
            <span class="hint"> {f.groupCount(members.length)}</span>
          </div>
        ))}
        {people.map(({ id, name, email }) => (
          <div
            role="option"
            tabIndex={-1}
            id={`person-${id}`}
            aria-selected="false"
            data-recipient={recipientOf(name, email)}
            data-email={email}
            data-label={name ?? email}
          >
            {name ?? email}
            {name && <span class="hint"> {email}</span>}
          </div>
        ))}
      </div>
      <p id="people-status">{said}</p>
    </>,
  );
});

/**
 * The new-session form's invitees, checked before anything is created: how many, or why not (in
 * the admin's words); null when none were given.
 */
async function invitees(
  c: Context<AdminEnv>,
  invite: string,
  startsAt: string | undefined,
): Promise<{ count: number } | { error: string } | null> {
  if (!invite.trim() || !mayInviteToNew(c)) return null;
  const f = c.var.t.form;
  const decided = decideRecipients(invite);
  if (!decided.ok) {
    const { code, errors, extra } = decided.error;
    return {
      error:
        code === "too_many_recipients"
          ? f.inviteTooMany(Number(extra?.count), Number(extra?.max))
          : f.inviteInvalid((errors ?? []).flatMap((e) => ("entry" in e ? [e.entry] : [])).join(", ")),
    };
  }
  const now = c.var.clock.now();
  if (startsAt && Date.parse(startsAt) <= now.getTime()) return { error: f.invitePast };
  const count = decided.value.recipients.length;
  try {
    await requireMailBudget(c.env, c.var.admin.orgId, count, now);
  } catch (error) {
    if (!(error instanceof ProblemError)) throw error;
    return { error: f.inviteBudget };
  }
  return { count };
}

async function newForm(
  c: Context<AdminEnv>,
  values: SessionFormValues,
  errors: FieldErrors,
  status: 200 | 409 | 422 = 200,
  fresh = false,
  host: string | null = null,
  invite = "",
) {
  const t = c.var.t;
  return formPage(
    c,
    t.form.newTitle,
    {
      t,
      admin: c.var.admin,
      action: "/admin/sessions",
      values,
      errors,
      submit: t.form.create,
      cancelHref: "/admin/sessions",
      browserZone: fresh,
      extra: (
        <>
          {await HostField({ c, value: host })}
          <InviteField c={c} value={invite} errors={errors} />
        </>
      ),
    },
    status,
  );
}

sessionPages.get("/sessions/new", (c) => {
  if (!can(actorOf(c.var.admin), "session:create")) return forbidden(c);
  return newForm(c, blankSession(guessedZone(c.req.raw)), {}, 200, true);
});

sessionPages.post("/sessions", async (c) => {
  const t = c.var.t;
  if (!can(actorOf(c.var.admin), "session:create")) return forbidden(c);
  const body = await c.req.parseBody();
  const values = formValues(body);
  const host = hostOfForm(c, body, null);
  const orgId = c.var.admin.orgId;
  const now = c.var.clock.now();
  const invite = typeof body.invite === "string" ? body.invite : "";
  const parsed = createInput(values, t);
  // Nothing is created while an invitee cannot be invited: a bad address, a start already past, an
  // hour's mail budget that cannot cover them.
  const inviting = await invitees(c, invite, parsed.ok ? parsed.input.startsAt : undefined);
  const inviteError = inviting && "error" in inviting ? { invite: inviting.error } : null;
  if (!parsed.ok || inviteError)
    return newForm(c, values, { ...(parsed.ok ? {} : parsed.errors), ...inviteError }, 422, false, host, invite);
  const input = { ...parsed.input, hostMemberId: host };
  const created = await createHostedSession(c.env, orgId, input, new URL(c.req.url).origin, now);
  if (!created.ok)
    return newForm(
      c,
      values,
      { form: created.error.detail ?? created.error.code, ...fieldErrorsOf(created.error.errors as never, t, true) },
      422,
      false,
      host,
      invite,
    );
  const id = created.value.id;
  // A start in the past is taken (recording a past session is a use), and said: a mistyped year is the likelier cause.
  const past = Date.parse(created.value.startsAt) <= now.getTime();
  const ledger = inviting ? ledgerFor(c.env, id) : null;
  if (ledger?.ok) {
    // A refusal the checks above could not foresee leaves the session created, and says so: the
    // roster invites again. The body goes through the API's own schema.
    const body = CreateInvitationsBody.parse({ recipients: invite, send: "now", holdSeat: false });
    try {
      await createSessionInvitations(c.env, ledger.value, id, orgId, body, actor(c), now);
      return c.redirect(`/admin/sessions/${id}?notice=createdInvited`, 303);
    } catch (error) {
      if (!(error instanceof ProblemError)) throw error;
      return c.redirect(`/admin/sessions/${id}?notice=createdNotInvited`, 303);
    }
  }
  return c.redirect(`/admin/sessions/${id}?notice=${past ? "createdPast" : "created"}`, 303);
});

async function editForm(
  c: Context<AdminEnv>,
  s: SessionView & { hostMemberId: string | null },
  values: SessionFormValues,
  errors: FieldErrors,
  status: 200 | 409 | 422 = 200,
) {
  const t = c.var.t;
  const href = `/admin/sessions/${s.id}`;
  const extra = await HostField({ c, value: s.hostMemberId });
  return formPage(
    c,
    t.form.editTitle(s.title),
    { t, admin: c.var.admin, action: `${href}/edit`, values, errors, submit: t.save, cancelHref: href, extra },
    status,
  );
}

sessionPages.get("/sessions/:id/edit", async (c) => {
  const s = await orgSession(c, c.req.param("id"));
  return s ? editForm(c, s, sessionValues(s), {}) : notFound(c);
});

sessionPages.post("/sessions/:id/edit", async (c) => {
  const s = await orgSession(c, c.req.param("id"));
  if (!s) return notFound(c);
  const body = await c.req.parseBody();
  const values = formValues(body);
  const host = hostOfForm(c, body, s.hostMemberId);
  const parsed = updateInput(values, c.var.t);
  if (!parsed.ok) return editForm(c, s, values, parsed.errors, 422);
  const ledger = ledgerFor(c.env, s.id);
  // The host's seat follows the edit in the ledger's same transaction (ledger/host-seat.ts).
  const { change } = await hostChange(c.env.DB, c.var.admin.orgId, s.id, host);
  const updated = ledger.ok ? outcome<SessionView>(await ledger.value.update(c.var.admin.orgId, parsed.input, actor(c), change)) : null;
  if (!updated) return notFound(c);
  if (!updated.ok) {
    const { code, detail, errors } = updated.error;
    if (code === "not_found" || code === "session_not_found") return notFound(c);
    const status = errorStatus[code] === 409 ? 409 : 422;
    const refusal: FieldErrors =
      code === "capacity_below_taken"
        ? { maxParticipants: c.var.t.form.capacityBelowTaken(Number(updated.error.extra?.taken)) }
        : { form: detail ?? code };
    return editForm(c, s, values, errors ? fieldErrorsOf(errors as never, c.var.t, true) : refusal, status);
  }
  // Handing the session to another host: they see it from now on, and the one before no longer does.
  if (host !== s.hostMemberId) await setSessionHost(c.env.DB, c.var.admin.orgId, s.id, host, c.var.clock.now());
  const movedIntoPast = updated.value.startsAt !== s.startsAt && Date.parse(updated.value.startsAt) <= c.var.clock.now().getTime();
  return c.redirect(`/admin/sessions/${s.id}?notice=${movedIntoPast ? "savedPast" : "saved"}`, 303);
});

sessionPages.get("/sessions/:id", async (c) => {
  const t = c.var.t;
  const s = await orgSession(c, c.req.param("id"));
  if (!s) return notFound(c);
  const ledger = ledgerFor(c.env, s.id);
  const mail = ledger.ok ? outcome<{ failed: number }>(await ledger.value.mailStatus(c.var.admin.orgId)) : null;
  const failedMail = mail?.ok ? mail.value.failed : 0;
  const origin = new URL(c.req.url).origin;
  const publicUrl = `${origin}/s/${s.id}`;
  // The roster carries its own "+ Add participant" (<rollcall-invite>) and reloads after it; a
  // second invite element beside it would show the same button twice and leave the roster stale.
  const tokenUrl = `/admin/widget-token?session=${s.id}`;
  const snippet = `<script type="module" src="${origin}/widget/rollcall.js"></script>\n<rollcall-join session="${s.id}"></rollcall-join>`;
  const cancelled = s.status === "cancelled";
  const actor = actorOf(c.var.admin);
  const host = s.hostMemberId ? (await listHosts(c.env.DB, c.var.admin.orgId)).find((m) => m.id === s.hostMemberId) : undefined;
  return c.html(
    <AdminPage locale={c.var.locale} t={t} title={s.title} admin={c.var.admin} current="sessions" notice={notice(c)} widget>
      <h1>{s.title}</h1>
      <div class="card">
        <dl>
          <dt>{t.session.when}</dt>
          <dd>
            {formatInstant(s.startsAt, s.timeZone, c.var.locale)} · {t.session.duration(s.durationMinutes)}
          </dd>
          {s.price && (
            <>
              <dt>{t.form.price}</dt>
              <dd>
                {formatPrice(s.price, c.var.locale)} · {t.session.refund(s.refundUntilDays)}
              </dd>
            </>
          )}
          {host && (
            <>
              <dt>{hostStrings[c.var.locale].hostTerm(hostLabelOf(c))}</dt>
              <dd>{host.email}</dd>
            </>
          )}
          {s.registrationCode && (
            <>
              <dt>{t.form.registrationCode}</dt>
              <dd>{s.registrationCode}</dd>
            </>
          )}
        </dl>
        {s.description && <p>{s.description}</p>}
        {!cancelled && s.hostMemberId === c.var.admin.memberId && (
          <p>
            <strong>{hostStrings[c.var.locale].attending}</strong> {hostStrings[c.var.locale].youHost}
          </p>
        )}
        {!cancelled && (
          <div class="actions">
            <a class="button" href={`/admin/sessions/${s.id}/edit`}>
              {t.session.edit}
            </a>{" "}
            <a class="button secondary" href={`/admin/sessions/${s.id}/form`}>
              {formBuilderLabel(c.var.locale)}
            </a>{" "}
            <a class="button secondary" href={`/admin/sessions/${s.id}/cancel`}>
              {t.session.cancelSession}
            </a>
          </div>
        )}
      </div>
      <MinimumCard s={s} c={c} />
      <h2>{t.session.roster}</h2>
      {failedMail > 0 && (
        <form method="post" action={`/admin/sessions/${s.id}/mail/redrive`} class="card alert">
          <CsrfField admin={c.var.admin} />
          <p>{t.session.mailFailed(failedMail)}</p>
          <button type="submit">{t.session.redrive}</button>
        </form>
      )}
      {/* The seats and the registration state are the roster's: it reloads them from the session's
          live channel, so the page never shows two counts that disagree. Without scripts, this
          page's own count (as it was when the page was made) stands in. */}
      <noscript>
        <div class="card">
          <p>
            <StateBadge s={s} t={t} />
          </p>
          <SeatSummary s={s} t={t} />
        </div>
        <p class="alert">{t.session.noScript}</p>
      </noscript>
      <rollcall-roster
        session={s.id}
        token-url={tokenUrl}
        locale={TAGS[c.var.locale]}
        invitation-locale={c.var.admin.orgSettings.defaultLocale ?? DEFAULT_LOCALE}
        contact-link={can(actor, "org") ? "/admin/contacts/{id}" : undefined}
        no-invite={can(actor, "session:invite", s) ? undefined : true}
      />
      <h2>{t.session.share}</h2>
      <div class="card">
        <div class="field">
          <label for="public-url">{t.session.publicUrl}</label>
          <div class="copyable">
            <input id="public-url" class="code" readonly value={publicUrl} />
            <CopyButton target="public-url" t={t} />
          </div>
          <a class="url" href={publicUrl}>
            {publicUrl}
          </a>
        </div>
        <div class="field">
          <label for="embed">{t.session.embed}</label>
          <span class="hint" id="embed-hint">
            {t.session.embedHint}
          </span>
          <textarea id="embed" class="code" readonly rows={3} aria-describedby="embed-hint">
            {snippet}
          </textarea>
          <CopyButton target="embed" t={t} />
        </div>
      </div>
    </AdminPage>,
  );
});

/** What was decided about the minimum; while the members are asked, the two answers (each confirmed on its own page). */
function MinimumCard({ s, c }: { s: SessionView; c: Context<AdminEnv> }) {
  const t = c.var.t.minimum;
  const m = s.minimum;
  const when = (at: string) => formatInstant(at, s.timeZone, c.var.locale);
  const by = !m.decidedBy || m.decidedBy === "system" ? t.system : m.decidedBy;
  const nothing = s.minParticipants === 0 || Date.parse(m.decisionAt) <= Date.parse(s.createdAt);
  const open = m.decision === "asked" && s.status !== "cancelled" && Date.parse(s.startsAt) > c.var.clock.now().getTime();
  return (
    <div class="card" id="minimum">
      <h2>{t.heading}</h2>
      <p role="status">
        {m.decision === "run"
          ? t.runBy(when(m.decidedAt ?? m.decisionAt), by)
          : m.decision === "cancelled"
            ? t.cancelledBy(when(m.decidedAt ?? m.decisionAt), by)
            : m.decision === "asked"
              ? t.asked(when(m.askedAt ?? m.decisionAt))
              : nothing
                ? t.none
                : t.pending(when(m.decisionAt))}
      </p>
      {open && (
        <div class="actions">
          <a class="button" href={`/admin/sessions/${s.id}/minimum?answer=run`}>
            {t.run}
          </a>{" "}
          <a class="button secondary" href={`/admin/sessions/${s.id}/minimum?answer=cancel`}>
            {t.cancel}
          </a>
        </div>
      )}
    </div>
  );
}

const answerOf = (value: unknown) => (value === "run" || value === "cancel" ? value : null);

sessionPages.get("/sessions/:id/minimum", async (c) => {
  const t = c.var.t.minimum;
  const s = await orgSession(c, c.req.param("id"));
  const answer = answerOf(c.req.query("answer"));
  if (!s || !answer) return notFound(c);
  return c.html(
    <AdminPage locale={c.var.locale} t={c.var.t} title={t.title} admin={c.var.admin} current="sessions" narrow>
      <h1>{t.title}</h1>
      <form method="post" class="card">
        <CsrfField admin={c.var.admin} />
        <input type="hidden" name="answer" value={answer} />
        <p>{t.question(s.title, s.seats.confirmed + s.seats.host, s.minParticipants)}</p>
        {answer === "cancel" && <p>{t.confirmCancel}</p>}
        <div class="actions">
          <button type="submit" class={answer === "cancel" ? "danger" : undefined}>
            {answer === "cancel" ? t.cancel : t.run}
          </button>
          <a href={`/admin/sessions/${s.id}`}>{c.var.t.session.keep}</a>
        </div>
      </form>
    </AdminPage>,
  );
});

sessionPages.post("/sessions/:id/minimum", async (c) => {
  const s = await orgSession(c, c.req.param("id"));
  const ledger = s ? ledgerFor(c.env, s.id) : null;
  const answer = answerOf((await c.req.parseBody()).answer);
  if (!s || !ledger?.ok || !answer) return notFound(c);
  // Refused when already decided (the first answer won) or too late: the page says what stands.
  await ledger.value.answerMinimum(c.var.admin.orgId, answer, c.var.admin.email);
  return c.redirect(`/admin/sessions/${s.id}#minimum`, 303);
});

sessionPages.post("/sessions/:id/mail/redrive", async (c) => {
  const s = await orgSession(c, c.req.param("id"));
  const ledger = s ? ledgerFor(c.env, s.id) : null;
  if (!s || !ledger?.ok) return notFound(c);
  const redriven = outcome<unknown>(await ledger.value.redriveMail(c.var.admin.orgId));
  if (!redriven.ok) return notFound(c);
  return c.redirect(`/admin/sessions/${s.id}?notice=redriven`, 303);
});

sessionPages.get("/sessions/:id/cancel", async (c) => {
  const t = c.var.t;
  const s = await orgSession(c, c.req.param("id"));
  if (!s) return notFound(c);
  const title = t.session.cancelTitle(s.title);
  return c.html(
    <ConfirmPage
      locale={c.var.locale}
      t={t}
      admin={c.var.admin}
      current="sessions"
      title={title}
      warning={t.session.cancelIntro}
      confirm={t.session.cancelConfirm}
      back={{ href: `/admin/sessions/${s.id}`, label: t.session.keep }}
    />,
  );
});

sessionPages.post("/sessions/:id/cancel", async (c) => {
  const s = await orgSession(c, c.req.param("id"));
  const ledger = s ? ledgerFor(c.env, s.id) : null;
  if (!s || !ledger?.ok) return notFound(c);
  const cancelled = await ledger.value.cancel(c.var.admin.orgId, actor(c));
  if (!cancelled.ok) return notFound(c);
  return c.redirect(`/admin/sessions/${s.id}?notice=cancelled`, 303);
});
