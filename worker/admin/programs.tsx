// Programs in the hosted admin: the list and a form to create one; one program with its sessions
// (attach, detach), its groups (assign, unassign), an invitation to the program, its edit form and
// its deletion (after a confirmation naming it), and its invitation jobs' progress ("Inviting 500
// people to 12 sessions: 3,120 of 6,000") with the people who could not be invited, and why. While
// a job runs the page asks the browser to reload it (a Refresh header: no script needed). Every
// change goes through the service functions and zod schemas of /v1/programs.

import type { Context } from "hono";
import { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { listGroups } from "../contacts/groups";
import { programEmailDefaults } from "../email/templates/program";
import { errorStatus } from "../errors/codes";
import { type Failure, refusedFields } from "../errors/problem";
import { labelled } from "../i18n/grammar";
import { LOCALE_NAMES } from "../i18n/locales";
import { assignGroupsAndInvite, attachSessionsAndInvite } from "../programs/changes";
import { createInvitationJob, listJobs, readJob, sendKeptJob } from "../programs/fanout";
import { CreateProgramBody, ProgramGroupsBody, ProgramInvitationsBody, ProgramSessionsBody, UpdateProgramBody } from "../programs/schemas";
import {
  createProgram,
  deleteProgram,
  detachSessions,
  listPrograms,
  readProgram,
  unassignGroups,
  updateProgram,
} from "../programs/service";
import { listSessions } from "../sessions/service";
import type { AdminEnv } from "./context";
import { EmailWordsFields, editedWordsOf, emailWordsOf } from "./email-words";
import { CheckboxField, type FieldErrors, InputField, localeOptions, RadioField, SelectField } from "./fields";
import { messagePage } from "./guard";
import { formatDay, formatInstant } from "./i18n";
import { AdminPage, ConfirmPage, CsrfField, PostButton } from "./layout";
import { type ProgramStrings, programStrings } from "./programs-i18n";
import { guessedZone, timeZoneOptions } from "./session-form";

export const programPages = new Hono<AdminEnv>();

/** Seconds between reloads while a job runs. */
const REFRESH_SECONDS = 3;
/** Jobs whose failures are listed on the page. */
const JOBS_DETAILED = 5;

const p = (c: Context<AdminEnv>) => programStrings[c.var.locale];
const text = (value: unknown) => (typeof value === "string" ? value : "");
const programId = (c: Context<AdminEnv>) => c.req.param("id")?.slice(0, 64) ?? "";
/** When a program invitation's emails go: the program's invite form and the contacts' "Add to a program". */
export function SendField(props: { s: Pick<ProgramStrings, "send" | "sendNow" | "sendLater">; name?: string }) {
  const { s } = props;
  return (
    <RadioField
      name={props.name ?? "send"}
      legend={s.send}
      value="now"
      options={[
        { value: "now", label: s.sendNow },
        { value: "later", label: s.sendLater },
      ]}
    />
  );
}

/** The confirmation named by `?notice=` after a redirect. */
const notice = (c: Context<AdminEnv>) => {
  const key = c.req.query("notice");
  const notices = p(c).notices;
  return key && Object.hasOwn(notices, key) ? (notices[key] ?? null) : null;
};
/** A zod issue list as the form's field errors: what each field takes, in the member's language. */
function issuesOf(c: Context<AdminEnv>, issues: readonly { path: readonly PropertyKey[]; message: string }[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const field = String(issue.path[0] ?? "name");
    errors[field] ??= p(c).invalid[field] ?? issue.message;
  }
  return errors;
}

type ProgramFields = { name: string; startsOn: string; endsOn: string; timeZone: string; locale: string };
const fieldsOf = (form: Record<string, unknown>): ProgramFields => ({
  name: text(form.name),
  startsOn: text(form.startsOn),
  endsOn: text(form.endsOn),
  timeZone: text(form.timeZone),
  locale: text(form.locale),
});
/** The form's values as the API takes them: an empty end is none, an empty language the org's. */
const bodyOf = (values: ProgramFields) => ({ ...values, endsOn: values.endsOn || null, locale: values.locale || null });

/** Name, first and last day, zone, language: the create and edit forms' fields. */
function ProgramFieldset(props: { c: Context<AdminEnv>; values: ProgramFields; errors: FieldErrors; fresh?: boolean }) {
  const s = p(props.c);
  const { values: v, errors } = props;
  return (
    <>
      <InputField name="name" label={s.name} value={v.name} errors={errors} required attrs={{ maxlength: 200 }} />
      <div class="row">
        <InputField name="startsOn" label={s.startsOn} hint={s.dayHint} type="date" value={v.startsOn} errors={errors} required />
        <InputField name="endsOn" label={s.endsOn} type="date" value={v.endsOn} errors={errors} />
      </div>
      <SelectField
        name="timeZone"
        label={s.timeZone}
        value={v.timeZone}
        options={timeZoneOptions(v.timeZone)}
        errors={errors}
        attrs={props.fresh ? { "data-browser-zone": "" } : undefined}
      />
      <SelectField
        name="locale"
        label={s.language}
        hint={s.languageHint}
        value={v.locale}
        options={[{ value: "", label: s.orgLanguage }, ...localeOptions]}
        errors={errors}
      />
    </>
  );
}

async function programsPage(
  c: Context<AdminEnv>,
  opts: { values?: ProgramFields; errors?: FieldErrors; status?: ContentfulStatusCode } = {},
) {
  const s = p(c);
  const programs = await listPrograms(c.env.DB, c.var.admin.orgId);
  // A program is likeliest in the organiser's own zone, as a new session is.
  const values = opts.values ?? { name: "", startsOn: "", endsOn: "", timeZone: guessedZone(c.req.raw), locale: "" };
  return c.html(
    <AdminPage locale={c.var.locale} t={c.var.t} title={s.title} admin={c.var.admin} current="programs" notice={notice(c)}>
      <h1>{s.title}</h1>
      {programs.length ? (
        <ul>
          {programs.map((program) => (
            <li>
              <a href={`/admin/programs/${program.id}`}>{program.name}</a> — {s.startsOn} {formatDay(program.startsOn, c.var.locale)}
            </li>
          ))}
        </ul>
      ) : (
        <p class="card">{s.none}</p>
      )}
      <h2 id="create">{s.create}</h2>
      <form method="post" action="/admin/programs" class="card">
        <CsrfField admin={c.var.admin} />
        <ProgramFieldset c={c} values={values} errors={opts.errors ?? {}} fresh={!opts.values} />
        <button type="submit">{s.create}</button>
      </form>
    </AdminPage>,
    opts.status ?? 200,
  );
}

programPages.get("/programs", (c) => programsPage(c));

programPages.post("/programs", async (c) => {
  const values = fieldsOf(await c.req.parseBody());
  const parsed = CreateProgramBody.safeParse(bodyOf(values));
  if (!parsed.success) return programsPage(c, { values, errors: issuesOf(c, parsed.error.issues), status: 422 });
  const program = await createProgram(c.env.DB, c.var.admin.orgId, parsed.data, c.var.clock.now());
  return c.redirect(`/admin/programs/${program.id}?notice=programCreated`, 303);
});

programPages.get("/programs/:id", async (c) => {
  const s = p(c);
  const orgId = c.var.admin.orgId;
  const program = await readProgram(c.env.DB, orgId, programId(c));
  const jobs = program ? await listJobs(c.env.DB, orgId, program.id) : null;
  if (!program || !jobs?.ok) return messagePage(c, 404, "404", c.var.t.errors.notFound);
  const detailed = await Promise.all(jobs.value.slice(0, JOBS_DETAILED).map((j) => readJob(c.env.DB, orgId, program.id, j.id)));
  const failuresOf = new Map(detailed.flatMap((d) => (d ? [[d.job.id, d.failures] as const] : [])));
  const running = jobs.value.some((j) => j.status === "running");
  return c.html(
    <AdminPage locale={c.var.locale} t={c.var.t} title={program.name} admin={c.var.admin} current="programs" notice={notice(c)}>
      <p>
        <a href="/admin/programs">← {s.back}</a>
      </p>
      <h1>{program.name}</h1>
      <p>
        {s.startsOn} {formatDay(program.startsOn, c.var.locale)}
        {program.endsOn ? ` · ${s.endsOnShort} ${formatDay(program.endsOn, c.var.locale)}` : ""} ({program.timeZone})
        {program.locale ? ` · ${labelled(s.language, LOCALE_NAMES[program.locale], c.var.locale)}` : ""}
      </p>
      <p class="actions">
        <a href={`/admin/programs/${program.id}/edit`}>{s.edit}</a>
        <a href={`/admin/programs/${program.id}/edit#invite`}>{s.invite}</a>
        <a href={`/admin/programs/${program.id}/delete`}>{s.delete}</a>
      </p>
      <h2>{s.sessions}</h2>
      {program.sessions.length ? (
        <ul>
          {program.sessions.map((session) => (
            <li>
              <a href={`/admin/sessions/${session.id}`}>{session.title}</a> —{" "}
              {formatInstant(session.startsAt, session.timeZone, c.var.locale)}
            </li>
          ))}
        </ul>
      ) : (
        // Where to go next: sessions are attached, and groups assigned, on the edit page.
        <p>
          {s.noSessions} <a href={`/admin/programs/${program.id}/edit#attach`}>{s.attachLink}</a>
        </p>
      )}
      <h2>{s.groups}</h2>
      {program.groups.length ? (
        <ul>
          {program.groups.map((g) => (
            <li>
              <a href={`/admin/contacts?group=${g.id}`}>{g.name}</a> ({g.memberCount})
            </li>
          ))}
        </ul>
      ) : (
        <p>
          {s.noGroups} <a href={`/admin/programs/${program.id}/edit#assign`}>{s.assignLink}</a>
        </p>
      )}
      <h2>{s.jobs}</h2>
      {jobs.value.length === 0 && <p>{s.noJobs}</p>}
      {running && (
        <p class="actions">
          <a href={`/admin/programs/${program.id}`}>{s.refresh}</a>
          {/* The admin's script shows it, and brings #jobs up to date every few seconds until it is pressed. */}
          <button type="button" hidden data-live-toggle="jobs" data-paused-label={s.resumeUpdates} aria-pressed="false">
            {s.pauseUpdates}
          </button>
        </p>
      )}
      <div id="jobs" data-live-every={running ? String(REFRESH_SECONDS) : undefined}>
        {jobs.value.map((job) => {
          const failures = failuresOf.get(job.id) ?? [];
          return (
            <section class="card" id={`job-${job.id}`} aria-label={s.triggers[job.trigger] ?? job.trigger}>
              <p>
                <strong>{s.triggers[job.trigger] ?? job.trigger}</strong> · {formatInstant(job.createdAt, program.timeZone, c.var.locale)}
              </p>
              {job.total === 0 ? (
                // Nothing to invite: everyone was left out (no address, deactivated: the table below
                // says why), or a job that followed a change found nobody, or no session to come.
                <p>{job.people && job.sessions ? s.nobodyInvitable(job.people) : s.nothingToInvite}</p>
              ) : (
                <p>
                  <label>
                    {s.progress(job.people, job.sessions, job.done + job.failed, job.total)}
                    <br />
                    <progress max={job.total} value={job.done + job.failed} />
                  </label>
                </p>
              )}
              <p role="status">
                {job.status === "running"
                  ? s.running
                  : s.finished(job.finishedAt ? formatInstant(job.finishedAt, program.timeZone, c.var.locale) : "")}
              </p>
              {job.failed > 0 && <p>{s.failed(job.failed)}</p>}
              {job.send === "later" && (
                <p class="actions">
                  <span>{s.kept}</span>
                  <PostButton
                    admin={c.var.admin}
                    action={`/admin/programs/${program.id}/jobs/${job.id}/send`}
                    label={`${s.sendKept} (${formatInstant(job.createdAt, program.timeZone, c.var.locale)})`}
                    children={s.sendKept}
                  />
                  <a
                    href={`/admin/programs/${program.id}/jobs/${job.id}/send`}
                    aria-label={`${s.editAndSend} (${formatInstant(job.createdAt, program.timeZone, c.var.locale)})`}
                  >
                    {s.editAndSend}
                  </a>
                </p>
              )}
              {failures.length > 0 && (
                <div class="scroll">
                  <table class="cards">
                    <caption>{s.failures}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{s.person}</th>
                        <th scope="col">{s.session}</th>
                        <th scope="col">{s.reason}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {failures.map((f) => (
                        <tr>
                          <td data-label={s.person}>
                            <a href={`/admin/contacts/${f.contactId}`}>{f.name ?? f.email ?? f.contactId}</a>
                            {f.name && f.email ? ` <${f.email}>` : ""}
                          </td>
                          <td data-label={s.session}>{f.sessionTitle ?? (f.sessionId ? f.sessionId : s.everywhere)}</td>
                          <td data-label={s.reason}>{s.reasons[f.reason] ?? f.reason}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </section>
          );
        })}
      </div>
    </AdminPage>,
  );
});

// ─── changing a program (a page of its own: the program's page updates its jobs while one runs) ───

type EditOptions = { values?: ProgramFields; errors?: FieldErrors; alert?: string; status?: ContentfulStatusCode };

async function editPage(c: Context<AdminEnv>, opts: EditOptions = {}) {
  const s = p(c);
  const orgId = c.var.admin.orgId;
  const program = await readProgram(c.env.DB, orgId, programId(c));
  if (!program) return messagePage(c, 404, "404", c.var.t.errors.notFound);
  const [programs, upcoming, groups] = await Promise.all([
    listPrograms(c.env.DB, orgId),
    listSessions(c.env.DB, orgId, { when: "upcoming", limit: 100 }, c.var.clock.now()),
    listGroups(c.env.DB, orgId),
  ]);
  // A session belongs to at most one program: only the others' free sessions can be attached.
  const taken = new Set(programs.flatMap((other) => other.sessions.map((session) => session.id)));
  const free = upcoming.ok ? upcoming.value.sessions.filter((x) => !taken.has(x.id) && x.status !== "cancelled") : [];
  const assigned = new Set(program.groups.map((g) => g.id));
  const unassigned = groups.filter((g) => !assigned.has(g.id));
  const values = opts.values ?? {
    name: program.name,
    startsOn: program.startsOn,
    endsOn: program.endsOn ?? "",
    timeZone: program.timeZone,
    locale: program.locale ?? "",
  };
  const base = `/admin/programs/${program.id}`;
  return c.html(
    <AdminPage
      locale={c.var.locale}
      t={c.var.t}
      title={s.editTitle(program.name)}
      admin={c.var.admin}
      current="programs"
      notice={notice(c)}
    >
      <p>
        <a href={base}>← {program.name}</a>
      </p>
      <h1>{s.editTitle(program.name)}</h1>
      {opts.alert && (
        <p class="alert" role="alert">
          {opts.alert}
        </p>
      )}
      <form method="post" action={base} class="card">
        <CsrfField admin={c.var.admin} />
        <ProgramFieldset c={c} values={values} errors={opts.errors ?? {}} />
        <button type="submit">{s.save}</button>
      </form>

      <h2>{s.sessions}</h2>
      {program.sessions.length ? (
        <ul class="list">
          {program.sessions.map((session) => (
            <li class="actions">
              <span>
                <a href={`/admin/sessions/${session.id}`}>{session.title}</a> —{" "}
                {formatInstant(session.startsAt, session.timeZone, c.var.locale)}
              </span>
              <PostButton
                admin={c.var.admin}
                action={`${base}/sessions/detach`}
                fields={{ sessionId: session.id }}
                label={s.detachLabel(session.title)}
              >
                {s.detach}
              </PostButton>
            </li>
          ))}
        </ul>
      ) : (
        <p>{s.noSessions}</p>
      )}
      <form method="post" action={`${base}/sessions`} class="card" id="attach" aria-label={s.attach}>
        <CsrfField admin={c.var.admin} />
        {free.length ? (
          <>
            <SelectField
              name="sessionId"
              label={s.attach}
              options={free.map((x) => ({ value: x.id, label: `${x.title} — ${formatInstant(x.startsAt, x.timeZone, c.var.locale)}` }))}
            />
            <button type="submit">{s.attachButton}</button>
          </>
        ) : (
          <p>{s.noFreeSessions}</p>
        )}
      </form>

      <h2>{s.groups}</h2>
      {program.groups.length ? (
        <ul class="list">
          {program.groups.map((g) => (
            <li class="actions">
              <span>
                <a href={`/admin/contacts?group=${g.id}`}>{g.name}</a> ({g.memberCount})
              </span>
              <PostButton admin={c.var.admin} action={`${base}/groups/unassign`} fields={{ groupId: g.id }} label={s.unassignLabel(g.name)}>
                {s.unassign}
              </PostButton>
            </li>
          ))}
        </ul>
      ) : (
        <p>{s.noGroups}</p>
      )}
      <form method="post" action={`${base}/groups`} class="card" id="assign" aria-label={s.assign}>
        <CsrfField admin={c.var.admin} />
        {unassigned.length ? (
          <>
            <SelectField
              name="groupId"
              label={s.assign}
              hint={s.assignHint}
              options={unassigned.map((g) => ({ value: g.id, label: `${g.name} (${g.memberCount})` }))}
            />
            <button type="submit">{s.assignButton}</button>
          </>
        ) : (
          <p>{s.noFreeGroups}</p>
        )}
      </form>

      <h2 id="invite">{s.invite}</h2>
      <form method="post" action={`${base}/invitations`} class="card">
        <CsrfField admin={c.var.admin} />
        <p>{s.inviteHint}</p>
        {groups.length > 0 && (
          <fieldset class="choice">
            <legend>{s.inviteGroups}</legend>
            {groups.map((g) => (
              <div class="check">
                <input type="checkbox" id={`invite-${g.id}`} name="groupIds" value={g.id} />
                <label for={`invite-${g.id}`}>
                  {g.name} ({g.memberCount})
                </label>
              </div>
            ))}
          </fieldset>
        )}
        <CheckboxField name="holdSeat" label={s.holdSeat} checked={false} />
        <SendField s={s} />
        <EmailWordsFields locale={c.var.locale} defaults={programEmailDefaults(program.name, c.var.locale)} />
        <p class="muted">
          <a href="/admin/contacts">{s.inviteContacts}</a>
        </p>
        <button type="submit">{s.inviteButton}</button>
      </form>

      <p class="actions">
        <a href={`${base}/delete`}>{s.delete}</a>
      </p>
    </AdminPage>,
    opts.status ?? 200,
  );
}

/** The edit page again, saying why nothing was changed. */
function refused(c: Context<AdminEnv>, failure: Failure) {
  const s = p(c);
  return editPage(c, {
    alert: labelled(s.refused, s.refusals[failure.code] ?? failure.detail ?? failure.code, c.var.locale),
    status: errorStatus[failure.code] as ContentfulStatusCode,
  });
}

/** Where a change that may have started a job leads: to the job's progress, or back to the edit page. */
const after = (c: Context<AdminEnv>, job: { id: string } | null, done: string) =>
  c.redirect(
    job ? `/admin/programs/${programId(c)}?notice=inviting#job-${job.id}` : `/admin/programs/${programId(c)}/edit?notice=${done}`,
    303,
  );

programPages.get("/programs/:id/edit", (c) => editPage(c));

programPages.post("/programs/:id", async (c) => {
  const values = fieldsOf(await c.req.parseBody());
  const parsed = UpdateProgramBody.safeParse(bodyOf(values));
  if (!parsed.success) return editPage(c, { values, errors: issuesOf(c, parsed.error.issues), status: 422 });
  const updated = await updateProgram(c.env.DB, c.var.admin.orgId, programId(c), parsed.data, c.var.clock.now());
  if (!updated.ok) {
    if (updated.error.code === "not_found") return messagePage(c, 404, "404", c.var.t.errors.notFound);
    // The one rule the service adds: the end, merged with the stored start, comes before it.
    return editPage(c, { values, errors: { endsOn: p(c).invalid.endsOn! }, status: 422 });
  }
  return c.redirect(`/admin/programs/${updated.value.id}?notice=programSaved`, 303);
});

/** One id from a form, as the API's body takes a list of them (the same schema decides). */
async function oneId<K extends "sessionIds" | "groupIds">(c: Context<AdminEnv>, field: "sessionId" | "groupId", key: K) {
  const form = await c.req.parseBody();
  const schema = key === "sessionIds" ? ProgramSessionsBody : ProgramGroupsBody;
  const parsed = schema.safeParse({ [key]: [text(form[field])] });
  return parsed.success ? ((parsed.data as Record<K, string[]>)[key] ?? null) : null;
}

programPages.post("/programs/:id/sessions", async (c) => {
  const ids = await oneId(c, "sessionId", "sessionIds");
  if (!ids) return refused(c, { code: "validation_failed" });
  const attached = await attachSessionsAndInvite(c.env, c.var.admin.orgId, programId(c), ids, c.var.clock.now());
  return attached.ok ? after(c, attached.value.job, "sessionAttached") : refused(c, attached.error);
});

programPages.post("/programs/:id/sessions/detach", async (c) => {
  const ids = await oneId(c, "sessionId", "sessionIds");
  if (!ids) return refused(c, { code: "validation_failed" });
  const detached = await detachSessions(c.env.DB, c.var.admin.orgId, programId(c), ids);
  return detached.ok ? after(c, null, "sessionDetached") : refused(c, detached.error);
});

programPages.post("/programs/:id/groups", async (c) => {
  const ids = await oneId(c, "groupId", "groupIds");
  if (!ids) return refused(c, { code: "validation_failed" });
  const assigned = await assignGroupsAndInvite(c.env, c.var.admin.orgId, programId(c), ids, c.var.clock.now());
  return assigned.ok ? after(c, assigned.value.job, "groupAssigned") : refused(c, assigned.error);
});

programPages.post("/programs/:id/groups/unassign", async (c) => {
  const ids = await oneId(c, "groupId", "groupIds");
  if (!ids) return refused(c, { code: "validation_failed" });
  const unassigned = await unassignGroups(c.env.DB, c.var.admin.orgId, programId(c), ids);
  return unassigned.ok ? after(c, null, "groupUnassigned") : refused(c, unassigned.error);
});

programPages.post("/programs/:id/invitations", async (c) => {
  const form = await c.req.parseBody({ all: true });
  const groupIds = ([] as unknown[]).concat(form.groupIds ?? []).filter((v): v is string => typeof v === "string");
  // No group ticked: the groups assigned, as the API does when neither list is given.
  const parsed = ProgramInvitationsBody.safeParse({
    ...(groupIds.length ? { groupIds } : {}),
    holdSeat: form.holdSeat === "on",
    send: form.send,
    ...emailWordsOf(form),
  });
  if (!parsed.success) return refused(c, { code: "validation_failed" });
  const job = await createInvitationJob(
    c.env,
    { orgId: c.var.admin.orgId, programId: programId(c), trigger: "invitations", ...parsed.data },
    c.var.clock.now(),
  );
  if (job.ok) return after(c, job.value, "");
  // A job that would invite nobody: no group ticked and none assigned, or groups with nobody in them.
  const nobody = refusedFields(job.error).find((e) => e.path === "groupIds");
  if (nobody)
    return editPage(c, {
      alert: labelled(p(c).refused, nobody.code === "required" ? p(c).nobodyTicked : p(c).nobodyInGroups, c.var.locale),
      status: 422,
    });
  return refused(c, job.error);
});

const jobId = (c: Context<AdminEnv>) => c.req.param("jobId")?.slice(0, 80) ?? "";

/** "Send the program emails" of a job that kept them, with the words of "Edit the email and send" when it sent them; sending twice changes nothing. */
programPages.post("/programs/:id/jobs/:jobId/send", async (c) => {
  const form = await c.req.parseBody();
  const words = form.words === "1" ? editedWordsOf(form) : {};
  const sent = await sendKeptJob(c.env, c.var.admin.orgId, programId(c), jobId(c), c.var.clock.now(), words);
  if (!sent.ok && sent.error.code === "invalid_transition") return messagePage(c, 409, p(c).refused, p(c).noLongerKept);
  if (!sent.ok) return messagePage(c, 404, "404", c.var.t.errors.notFound);
  return c.redirect(`/admin/programs/${programId(c)}?notice=sending#job-${sent.value.id}`, 303);
});

// Seed 002: "By clicking this button, you can edit the invitation email before sending it."
programPages.get("/programs/:id/jobs/:jobId/send", async (c) => {
  const [program, found] = await Promise.all([
    readProgram(c.env.DB, c.var.admin.orgId, programId(c)),
    readJob(c.env.DB, c.var.admin.orgId, programId(c), jobId(c)),
  ]);
  if (!program || !found) return messagePage(c, 404, "404", c.var.t.errors.notFound);
  const { job } = found;
  const base = `/admin/programs/${program.id}`;
  // Sent meanwhile: the program's page says where it stands.
  if (job.send !== "later") return c.redirect(`${base}#job-${job.id}`, 303);
  const s = p(c);
  const title = s.sendTitle(program.name);
  return c.html(
    <AdminPage locale={c.var.locale} t={c.var.t} title={title} admin={c.var.admin} current="programs" narrow>
      <p>
        <a href={`${base}#job-${job.id}`}>← {program.name}</a>
      </p>
      <h1>{title}</h1>
      <p>{s.editIntro(job.people)}</p>
      <form method="post" action={`${base}/jobs/${job.id}/send`} class="card">
        <CsrfField admin={c.var.admin} />
        <input type="hidden" name="words" value="1" />
        <EmailWordsFields
          locale={c.var.locale}
          defaults={programEmailDefaults(program.name, c.var.locale)}
          values={{ subject: job.subject, buttonText: job.buttonText, message: job.message }}
        />
        <button type="submit">{s.sendButton}</button>
      </form>
    </AdminPage>,
  );
});

programPages.get("/programs/:id/delete", async (c) => {
  const program = await readProgram(c.env.DB, c.var.admin.orgId, programId(c));
  if (!program) return messagePage(c, 404, "404", c.var.t.errors.notFound);
  const s = p(c);
  return c.html(
    <ConfirmPage
      locale={c.var.locale}
      t={c.var.t}
      admin={c.var.admin}
      current="programs"
      title={s.deleteTitle(program.name)}
      warning={s.deleteWarning}
      action={`/admin/programs/${program.id}/delete`}
      confirm={s.deleteConfirm}
      back={{ href: `/admin/programs/${program.id}`, label: c.var.t.cancel }}
    />,
  );
});

programPages.post("/programs/:id/delete", async (c) => {
  const deleted = await deleteProgram(c.env.DB, c.var.admin.orgId, programId(c));
  if (!deleted.ok) return messagePage(c, 404, "404", c.var.t.errors.notFound);
  return c.redirect("/admin/programs?notice=programDeleted", 303);
});
