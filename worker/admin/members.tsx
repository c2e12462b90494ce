// Members of the organisation in the hosted admin: who they are and their role, inviting a
// colleague by an emailed one-time link, and, for owners, changing roles and removing members.

import type { Context } from "hono";
import { Hono } from "hono";
import type { Role } from "../auth/admin-sessions";
import { pendingMemberInvites } from "../auth/links";
import { MEMBER_ROLES } from "../db/schema";
import { mailQueues } from "../email/queues";
import type { Failure } from "../errors/problem";
import { inviteMember } from "../members/invite";
import { changeMemberRole, listMembers, memberChangeRefusal, removeMember } from "../members/members";
import { isEmail } from "../recipients/address";
import type { AdminEnv } from "./context";
import { clearSessionCookie } from "./cookie";
import { type FieldErrors, InputField, SelectField } from "./fields";
import { messagePage } from "./guard";
import { hostStrings } from "./hosts-i18n";
import { AdminPage, CsrfField, LocalTime, noticeOf } from "./layout";

export const memberPages = new Hono<AdminEnv>();

async function membersPage(
  c: Context<AdminEnv>,
  opts: { errors?: FieldErrors; email?: string; role?: Role; alert?: string; status?: 200 | 403 | 404 | 409 | 422 } = {},
) {
  const t = c.var.t;
  const m = t.members;
  const admin = c.var.admin;
  const owner = admin.role === "owner";
  const [list, pending] = await Promise.all([
    listMembers(c.env.DB, admin.orgId),
    pendingMemberInvites(c.env.DB, admin.orgId, c.var.clock.now()),
  ]);
  const roleOptions = (role: Role) =>
    MEMBER_ROLES.map((r) => (
      <option value={r} selected={r === role}>
        {m.roles[r]}
      </option>
    ));
  return c.html(
    <AdminPage locale={c.var.locale} t={t} title={m.title} admin={admin} current="members" notice={noticeOf(c)}>
      <h1>{m.title}</h1>
      {opts.alert && (
        <p class="alert" role="alert">
          {opts.alert}
        </p>
      )}
      <table class="cards">
        <thead>
          <tr>
            <th scope="col">{m.email}</th>
            <th scope="col">{m.role}</th>
            <th scope="col">{m.since}</th>
            {owner && (
              <th scope="col">
                <span class="visually-hidden">{m.remove}</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {list.map((member) => (
            <tr>
              <td data-label={m.email}>
                {member.email}
                {member.id === admin.memberId && (
                  <>
                    {" "}
                    <span class="muted">({m.you})</span>
                  </>
                )}
                {member.role === "host" && (
                  // See the admin as this host sees it (read-only; admin/hosts.tsx).
                  <form method="post" action="/admin/view-as" class="inline">
                    <CsrfField admin={admin} />
                    <input type="hidden" name="memberId" value={member.id} />{" "}
                    <button type="submit" class="link" aria-label={hostStrings[c.var.locale].viewAsLabel(member.email)}>
                      {hostStrings[c.var.locale].viewAs}
                    </button>
                  </form>
                )}
              </td>
              <td data-label={m.role}>
                {owner ? (
                  <form method="post" action={`/admin/members/${member.id}/role`} class="inline">
                    <CsrfField admin={admin} />
                    <label for={`role-${member.id}`} class="visually-hidden">
                      {m.roleFor(member.email)}
                    </label>
                    <select id={`role-${member.id}`} name="role">
                      {roleOptions(member.role)}
                    </select>
                    <button type="submit" class="secondary">
                      {m.changeRole}
                    </button>
                  </form>
                ) : (
                  m.roles[member.role]
                )}
              </td>
              <td data-label={m.since}>
                <LocalTime instant={member.createdAt} locale={c.var.locale} />
              </td>
              {owner && (
                <td class="words">
                  <a href={`/admin/members/${member.id}/remove`} aria-label={m.removeLabel(member.email)}>
                    {m.remove}
                  </a>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {owner ? <p class="muted">{m.removeHint}</p> : <p class="muted">{m.ownerOnly}</p>}
      {pending.length > 0 && (
        <>
          <h2>{m.pending}</h2>
          <ul>
            {pending.map((p) => (
              <li>
                {p.email} · {m.roles[p.role ?? "admin"]} · {m.expires} <LocalTime instant={p.expiresAt} locale={c.var.locale} />
              </li>
            ))}
          </ul>
        </>
      )}
      <h2>{m.invite}</h2>
      <form method="post" action="/admin/members" class="card" novalidate>
        <CsrfField admin={admin} />
        <p class="muted">{m.inviteHint}</p>
        <InputField
          name="email"
          label={m.email}
          type="email"
          value={opts.email ?? ""}
          required
          errors={opts.errors ?? {}}
          attrs={{ autocomplete: "off" }}
        />
        <SelectField
          name="role"
          label={m.role}
          hint={m.inviteRoleHint}
          value={opts.role ?? "admin"}
          errors={opts.errors ?? {}}
          options={(owner ? MEMBER_ROLES : (["admin", "host"] as const)).map((r) => ({ value: r, label: m.roles[r] }))}
        />
        <button type="submit">{m.sendInvite}</button>
      </form>
    </AdminPage>,
    opts.status ?? 200,
  );
}

memberPages.get("/members", (c) => membersPage(c));

const roleOf = (value: unknown): Role | null => MEMBER_ROLES.find((r) => r === value) ?? null;

memberPages.post("/members", async (c) => {
  const form = await c.req.parseBody();
  const m = c.var.t.members;
  const email = typeof form.email === "string" ? form.email.trim() : "";
  const role = form.role === undefined ? "admin" : roleOf(form.role);
  if (!isEmail(email)) return membersPage(c, { email, errors: { email: c.var.t.signIn.invalidEmail }, status: 422 });
  if (!role) return membersPage(c, { email, alert: c.var.t.fixErrors, status: 422 });
  const admin = c.var.admin;
  const invited = await inviteMember(
    c.env.DB,
    mailQueues(c.env),
    {
      orgId: admin.orgId,
      orgName: admin.orgName,
      email,
      role,
      by: { role: admin.role, memberId: admin.memberId },
      baseUrl: new URL(c.req.url).origin,
      locale: admin.orgSettings.defaultLocale ?? c.var.locale,
    },
    c.var.clock.now(),
  );
  if (!invited.ok) {
    if (invited.error.code === "forbidden") return membersPage(c, { email, role, alert: m.ownerInvitesOwner, status: 403 });
    return membersPage(c, { email, role, errors: { email: m.alreadyMember(email) }, status: 409 });
  }
  return c.redirect("/admin/members?notice=invited", 303);
});

function refused(c: Context<AdminEnv>, error: Failure) {
  if (error.code === "not_found") return messagePage(c, 404, "404", c.var.t.errors.notFound);
  const m = c.var.t.members;
  return error.code === "forbidden"
    ? membersPage(c, { alert: m.ownerOnly, status: 403 })
    : membersPage(c, { alert: m.lastOwner, status: 409 });
}

memberPages.post("/members/:id/role", async (c) => {
  const form = await c.req.parseBody();
  const role = roleOf(form.role);
  if (!role) return membersPage(c, { alert: c.var.t.fixErrors, status: 422 });
  const admin = c.var.admin;
  const changed = await changeMemberRole(c.env.DB, admin.orgId, admin.role, c.req.param("id"), role);
  if (!changed.ok) return refused(c, changed.error);
  return c.redirect("/admin/members?notice=role", 303);
});

// Removing someone asks first, naming them and what goes with them.
memberPages.get("/members/:id/remove", async (c) => {
  const admin = c.var.admin;
  const t = c.var.t;
  const m = t.members;
  const member = (await listMembers(c.env.DB, admin.orgId)).find((x) => x.id === c.req.param("id"));
  if (!member) return messagePage(c, 404, "404", t.errors.notFound);
  if (admin.role !== "owner") return membersPage(c, { alert: m.ownerOnly, status: 403 });
  // The rule the POST applies, asked before offering a button it would refuse (the only owner).
  const owners = (await listMembers(c.env.DB, admin.orgId)).filter((x) => x.role === "owner").length;
  const refusal = memberChangeRefusal(admin.role, member.role, owners, { kind: "remove" });
  return c.html(
    <AdminPage locale={c.var.locale} t={t} title={m.removeTitle(member.email)} admin={admin} current="members" narrow>
      <h1>{m.removeTitle(member.email)}</h1>
      <div class="card">
        {refusal ? (
          <>
            <p role="alert">{m.lastOwner}</p>
            <p class="actions">
              <a href="/admin/members">{m.backToMembers}</a>
            </p>
          </>
        ) : (
          <>
            <p>{member.id === admin.memberId ? m.removeSelfWarning : m.removeHint}</p>
            <form method="post" action={`/admin/members/${member.id}/remove`} class="actions">
              <CsrfField admin={admin} />
              <button type="submit" class="danger">
                {m.removeConfirm}
              </button>
              <a href="/admin/members">{t.cancel}</a>
            </form>
          </>
        )}
      </div>
    </AdminPage>,
    refusal ? 409 : 200,
  );
});

memberPages.post("/members/:id/remove", async (c) => {
  const admin = c.var.admin;
  const removed = await removeMember(c.env.DB, c.env.FANOUT_QUEUE, admin.orgId, admin.role, c.req.param("id"), c.var.clock.now());
  if (!removed.ok) return refused(c, removed.error);
  if (removed.value.member.id === admin.memberId) {
    clearSessionCookie(c);
    return c.redirect("/admin/sign-in?notice=signedOut", 303);
  }
  return c.redirect("/admin/members?notice=removed", 303);
});
