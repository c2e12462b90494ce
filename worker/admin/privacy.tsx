// One person's data in the hosted admin, by email address: download it as JSON, or erase it from
// every session of the organisation after a confirmation that says where the address was found.
// The same services as POST /v1/privacy/export and /erase (worker/privacy/person.ts).

import type { Context } from "hono";
import { Hono } from "hono";
import { labelled } from "../i18n/grammar";
import { readOrg } from "../orgs/orgs";
import { retentionMonthsOf } from "../orgs/retention";
import { erasePerson, exportPerson } from "../privacy/person";
import { isEmail } from "../recipients/address";
import type { AdminEnv } from "./context";
import { type FieldErrors, InputField } from "./fields";
import { messagePage } from "./guard";
import { AdminPage, CsrfField, noticeOf } from "./layout";

export const privacyPages = new Hono<AdminEnv>();

async function privacyPage(c: Context<AdminEnv>, email = "", errors: FieldErrors = {}, status: 200 | 422 = 200) {
  const t = c.var.t;
  const p = t.privacy;
  const org = await readOrg(c.env.DB, c.var.admin.orgId);
  return c.html(
    <AdminPage locale={c.var.locale} t={t} title={p.title} admin={c.var.admin} current="privacy" notice={noticeOf(c)}>
      <h1>{p.title}</h1>
      <p>{p.intro(retentionMonthsOf(org?.settings ?? {}))}</p>
      <form method="post" action="/admin/privacy/export" class="card" novalidate>
        <CsrfField admin={c.var.admin} />
        <InputField name="email" label={p.email} type="email" value={email} required errors={errors} attrs={{ autocomplete: "off" }} />
        <div class="actions">
          <button type="submit">{p.export}</button>
          <button type="submit" class="secondary" formaction="/admin/privacy/erase">
            {p.erase}
          </button>
        </div>
      </form>
    </AdminPage>,
    status,
  );
}

/** The form's address (and whether the erasure is confirmed), or the page again saying what is wrong. */
async function addressOf(c: Context<AdminEnv>): Promise<{ email: string; confirmed: boolean } | { page: Response }> {
  const form = await c.req.parseBody();
  const email = typeof form.email === "string" ? form.email.trim() : "";
  if (isEmail(email)) return { email, confirmed: form.confirm === "yes" };
  return { page: await privacyPage(c, email, { email: c.var.t.signIn.invalidEmail }, 422) };
}

privacyPages.get("/privacy", (c) => privacyPage(c));

privacyPages.post("/privacy/export", async (c) => {
  const asked = await addressOf(c);
  if ("page" in asked) return asked.page;
  const exported = await exportPerson(c.env, c.var.admin.orgId, asked.email, c.var.clock.now());
  if (!exported.ok) return messagePage(c, 404, "404", c.var.t.errors.notFound);
  return c.body(`${JSON.stringify(exported.value, null, 2)}\n`, 200, {
    "content-type": "application/json; charset=utf-8",
    "content-disposition": 'attachment; filename="personal-data.json"',
    "cache-control": "no-store",
  });
});

/** Without `confirm`, the confirmation: where the address was found, and what erasing does. */
privacyPages.post("/privacy/erase", async (c) => {
  const asked = await addressOf(c);
  if ("page" in asked) return asked.page;
  const { email } = asked;
  if (asked.confirmed) {
    const erased = await erasePerson(c.env, c.var.admin.orgId, email, null, c.var.clock);
    if (!erased.ok) return messagePage(c, 404, "404", c.var.t.errors.notFound);
    return c.redirect("/admin/privacy?notice=erased", 303);
  }
  const t = c.var.t;
  const p = t.privacy;
  const found = await exportPerson(c.env, c.var.admin.orgId, email, c.var.clock.now());
  const sessions = found.ok ? found.value.sessions : [];
  const title = p.confirmTitle(email);
  return c.html(
    <AdminPage locale={c.var.locale} t={t} title={title} admin={c.var.admin} current="privacy" narrow>
      <h1>{title}</h1>
      <form method="post" action="/admin/privacy/erase" class="card">
        <CsrfField admin={c.var.admin} />
        <input type="hidden" name="email" value={email} />
        <input type="hidden" name="confirm" value="yes" />
        {sessions.length ? (
          <>
            <p>{p.found}</p>
            <ul>
              {sessions.map((s) => (
                <li>
                  <strong>{s.session.title}</strong>
                  <ul>
                    {s.registrations.map((r) => (
                      <li>{`${r.name} — ${labelled(p.registration, p.statuses[r.status] ?? r.status, c.var.locale)}`}</li>
                    ))}
                    {s.invitations.map((i) => (
                      <li>{`${i.name ?? i.email} — ${labelled(p.invitation, p.statuses[i.status] ?? i.status, c.var.locale)}`}</li>
                    ))}
                  </ul>
                </li>
              ))}
            </ul>
          </>
        ) : (
          <p>{p.foundNothing}</p>
        )}
        <p>{p.what}</p>
        <div class="actions">
          <button type="submit" class="danger">
            {p.confirm(email)}
          </button>
          <a href="/admin/privacy">{p.back}</a>
        </div>
      </form>
    </AdminPage>,
  );
});
