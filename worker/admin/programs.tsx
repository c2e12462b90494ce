// Programs in the hosted admin: the list, and one program with its sessions, its groups and its
// invitation jobs' progress ("Inviting 500 people to 12 sessions: 3,120 of 6,000") with the people
// who could not be invited, and why. While a job runs the page asks the browser to reload it
// (a Refresh header: no script needed).

import type { Context } from "hono";
import { Hono } from "hono";
import { listJobs, readJob } from "../programs/fanout";
import { listPrograms, readProgram } from "../programs/service";
import type { AdminEnv } from "./context";
import { messagePage } from "./guard";
import { formatInstant } from "./i18n";
import { AdminPage } from "./layout";
import { programStrings } from "./programs-i18n";

export const programPages = new Hono<AdminEnv>();

/** Seconds between reloads while a job runs. */
const REFRESH_SECONDS = 3;
/** Jobs whose failures are listed on the page. */
const JOBS_DETAILED = 5;

const p = (c: Context<AdminEnv>) => programStrings[c.var.locale];

programPages.get("/programs", async (c) => {
  const s = p(c);
  const programs = await listPrograms(c.env.DB, c.var.admin.orgId);
  return c.html(
    <AdminPage locale={c.var.locale} t={c.var.t} title={s.title} admin={c.var.admin} current="programs">
      <h1>{s.title}</h1>
      {programs.length ? (
        <ul>
          {programs.map((program) => (
            <li>
              <a href={`/admin/programs/${program.id}`}>{program.name}</a> — {s.startsOn} {program.startsOn}
            </li>
          ))}
        </ul>
      ) : (
        <p class="card">{s.none}</p>
      )}
    </AdminPage>,
  );
});

programPages.get("/programs/:id", async (c) => {
  const s = p(c);
  const orgId = c.var.admin.orgId;
  const program = await readProgram(c.env.DB, orgId, c.req.param("id"));
  const jobs = program ? await listJobs(c.env.DB, orgId, program.id) : null;
  if (!program || !jobs?.ok) return messagePage(c, 404, "404", c.var.t.errors.notFound);
  const detailed = await Promise.all(jobs.value.slice(0, JOBS_DETAILED).map((j) => readJob(c.env.DB, orgId, program.id, j.id)));
  const failuresOf = new Map(detailed.flatMap((d) => (d ? [[d.job.id, d.failures] as const] : [])));
  if (jobs.value.some((j) => j.status === "running")) c.header("refresh", String(REFRESH_SECONDS));
  return c.html(
    <AdminPage locale={c.var.locale} t={c.var.t} title={program.name} admin={c.var.admin} current="programs">
      <p>
        <a href="/admin/programs">← {s.back}</a>
      </p>
      <h1>{program.name}</h1>
      <p>
        {s.startsOn} {program.startsOn} ({program.timeZone})
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
        <p>{s.noSessions}</p>
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
        <p>{s.noGroups}</p>
      )}
      <h2>{s.jobs}</h2>
      {jobs.value.length === 0 && <p>{s.noJobs}</p>}
      {jobs.value.map((job) => {
        const failures = failuresOf.get(job.id) ?? [];
        return (
          <section class="card" id={`job-${job.id}`} aria-label={s.triggers[job.trigger] ?? job.trigger}>
            <p>
              <strong>{s.triggers[job.trigger] ?? job.trigger}</strong> · {job.createdAt}
            </p>
            <p>
              <label>
                {s.progress(job.people, job.sessions, job.done + job.failed, job.total)}
                <br />
                <progress max={Math.max(1, job.total)} value={job.total ? job.done + job.failed : 1} />
              </label>
            </p>
            <p role="status">{job.status === "running" ? s.running : s.finished(job.finishedAt ?? "")}</p>
            {job.failed > 0 && <p>{s.failed(job.failed)}</p>}
            {failures.length > 0 && (
              <div class="scroll">
                <table>
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
                        <td>
                          <a href={`/admin/contacts/${f.contactId}`}>{f.name ?? f.email ?? f.contactId}</a>
                          {f.name && f.email ? ` <${f.email}>` : ""}
                        </td>
                        <td>{f.sessionTitle ?? (f.sessionId ? f.sessionId : s.everywhere)}</td>
                        <td>{s.reasons[f.reason] ?? f.reason}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        );
      })}
    </AdminPage>,
  );
});
