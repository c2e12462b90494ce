// API keys in the hosted admin: the list (prefix, label, who it answers to, last used), creating one
// (shown once, on the page the form redirects to, never in a URL; it answers to the member who made
// it), and revoking (after a page that names the key and says what stops working).

import type { Context } from "hono";
import { Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { createApiKey, listApiKeys, revokeApiKey } from "../orgs/keys";
import { NewApiKeyBody } from "../orgs/schemas";
import type { AdminEnv } from "./context";
import { isSecureHost } from "./cookie";
import { type FieldErrors, InputField } from "./fields";
import { messagePage } from "./guard";
import { AdminPage, ConfirmPage, CopyButton, CsrfField, LocalTime, noticeOf } from "./layout";

export const keyPages = new Hono<AdminEnv>();

async function keysPage(c: Context<AdminEnv>, errors: FieldErrors = {}, status: 200 | 422 = 200) {
  const t = c.var.t;
  const k = t.keys;
  const keys = await listApiKeys(c.env.DB, c.var.admin.orgId);
  return c.html(
    <AdminPage locale={c.var.locale} t={t} title={k.title} admin={c.var.admin} current="keys" notice={noticeOf(c)}>
      <h1>{k.title}</h1>
      <p>{k.intro}</p>
      <p class="muted">{k.madeByHint}</p>
      {keys.length ? (
        <table class="cards">
          <thead>
            <tr>
              <th scope="col">{k.label}</th>
              <th scope="col">{k.prefix}</th>
              <th scope="col">{k.madeBy}</th>
              <th scope="col">{k.created}</th>
              <th scope="col">{k.lastUsed}</th>
              <th scope="col">{k.status}</th>
            </tr>
          </thead>
          <tbody>
            {keys.map((key) => (
              <tr>
                <td data-label={k.label}>{key.label}</td>
                <td data-label={k.prefix} class="words">
                  <code>{key.prefix}…</code>
                </td>
                {/* An address may break anywhere; a key's prefix, "The organisation" and "A former member" do not. */}
                {key.createdBy !== null && key.createdByEmail ? (
                  <td data-label={k.madeBy}>{key.createdByEmail}</td>
                ) : (
                  <td data-label={k.madeBy} class="words">
                    {key.createdBy === null ? k.organisation : k.formerMember}
                  </td>
                )}
                <td data-label={k.created}>
                  <LocalTime instant={key.createdAt} locale={c.var.locale} />
                </td>
                <td data-label={k.lastUsed}>{key.lastUsedAt ? <LocalTime instant={key.lastUsedAt} locale={c.var.locale} /> : k.never}</td>
                <td data-label={k.status}>
                  {key.revokedAt ? (
                    <>
                      {k.revoked} (<LocalTime instant={key.revokedAt} locale={c.var.locale} />)
                    </>
                  ) : (
                    <>
                      {k.active}{" "}
                      <a href={`/admin/keys/${key.id}/revoke`} aria-label={k.revokeLabel(key.label)}>
                        {k.revoke}
                      </a>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="card">{k.none}</p>
      )}
      <h2>{k.create}</h2>
      <form method="post" action="/admin/keys" class="card">
        <CsrfField admin={c.var.admin} />
        <InputField name="label" label={k.label} required errors={errors} attrs={{ maxlength: 100 }} />
        <button type="submit">{k.create}</button>
      </form>
    </AdminPage>,
    status,
  );
}

keyPages.get("/keys", (c) => keysPage(c));

/**
 * A new key goes from the form's POST to the page that shows it through a short-lived cookie, never
 * a URL: post, redirect, get, so reloading that page creates nothing. Only the browser that made
 * the key gets it, once, and only while signed in to the key's organisation.
 */
const HANDOVER = "rollcall_new_key";
const HANDOVER_PATH = "/admin/keys/new";

keyPages.post("/keys", async (c) => {
  const t = c.var.t;
  const form = await c.req.parseBody();
  // The API's own schema: what it refuses, the admin refuses.
  const parsed = NewApiKeyBody.safeParse({ label: typeof form.label === "string" ? form.label : "" });
  if (!parsed.success) return keysPage(c, { label: t.keys.labelInvalid }, 422);
  const created = await createApiKey(c.env.DB, c.var.admin.orgId, parsed.data.label, c.var.clock.now(), {
    memberId: c.var.admin.memberId,
  });
  // Removed a moment ago, between the sign-in check and this write: nothing was made.
  if (!created.ok) return messagePage(c, 401, "401", t.errors.signedOut);
  const { key, view } = created.value;
  setCookie(c, HANDOVER, `${view.id}.${key}`, {
    maxAge: 300,
    path: HANDOVER_PATH,
    httpOnly: true,
    secure: isSecureHost(c.req.url),
    sameSite: "Strict",
  });
  return c.redirect(HANDOVER_PATH, 303);
});

keyPages.get("/keys/new", async (c) => {
  const t = c.var.t;
  const handover = getCookie(c, HANDOVER);
  if (handover) deleteCookie(c, HANDOVER, { path: HANDOVER_PATH, httpOnly: true, secure: isSecureHost(c.req.url), sameSite: "Strict" });
  const [id, key] = handover?.split(".") ?? [];
  const made =
    id && key ? (await listApiKeys(c.env.DB, c.var.admin.orgId)).find((k) => k.id === id && key.startsWith(k.prefix)) : undefined;
  if (!made || !key) return c.redirect("/admin/keys", 303);
  return c.html(
    <AdminPage locale={c.var.locale} t={t} title={t.keys.revealTitle} admin={c.var.admin} current="keys">
      <h1>{t.keys.revealTitle}</h1>
      <div class="card" role="status">
        <p>{t.keys.reveal}</p>
        <div class="field">
          <label for="new-key">{made.label}</label>
          <div class="copyable">
            <input id="new-key" class="code" readonly value={key} />
            <CopyButton target="new-key" t={t} />
          </div>
        </div>
        <a class="button" href="/admin/keys">
          {t.keys.done}
        </a>
      </div>
    </AdminPage>,
  );
});

// Revoking asks first: whatever uses the key stops working at once, and a revoked key stays revoked.
keyPages.get("/keys/:id/revoke", async (c) => {
  const t = c.var.t;
  const k = t.keys;
  const id = c.req.param("id").slice(0, 64);
  const key = (await listApiKeys(c.env.DB, c.var.admin.orgId)).find((x) => x.id === id);
  if (!key) return messagePage(c, 404, "404", t.errors.notFound);
  // Already revoked (another tab, another member): nothing left to confirm.
  if (key.revokedAt) return c.redirect("/admin/keys", 303);
  const title = k.revokeTitle(key.label, key.prefix);
  return c.html(
    <ConfirmPage
      locale={c.var.locale}
      t={t}
      admin={c.var.admin}
      current="keys"
      title={title}
      warning={k.revokeWarning}
      action={`/admin/keys/${key.id}/revoke`}
      confirm={k.revokeConfirm}
      back={{ href: "/admin/keys", label: t.cancel }}
    />,
  );
});

keyPages.post("/keys/:id/revoke", async (c) => {
  const revoked = await revokeApiKey(c.env.DB, c.var.admin.orgId, c.req.param("id").slice(0, 64), c.var.clock.now());
  if (!revoked.ok) return messagePage(c, 404, "404", c.var.t.errors.notFound);
  return c.redirect("/admin/keys?notice=revoked", 303);
});
