// What people type comes out as text, never as markup: a session title with a script tag and the
// characters that end attributes, on the hosted admin's session page and the session's public page.
// (Emails: email-templates.test.ts.)

import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { browse, signedInOwner } from "./admin-helpers";
import { BASE, newSession } from "./helpers";

const HOSTILE = `<script>alert(1)</script> "'&`;
const ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt; &quot;&#39;&amp;";

describe("a session title with markup in it", () => {
  it("is text on the admin's session page: heading, title and nothing unescaped", async () => {
    const { owner, key } = await signedInOwner();
    const s = await newSession(key, { title: HOSTILE, description: HOSTILE });
    const page = await browse("GET", `/admin/sessions/${s.id}`, { cookie: owner.cookie });
    expect(page.status).toBe(200);
    expect(page.text).not.toContain("<script>alert(1)</script>");
    expect(page.text).not.toContain(`"'&`);
    expect(page.text).toContain(`<title>${ESCAPED} · Forest Camp</title>`);
    expect(page.text).toContain(`<h1>${ESCAPED}</h1>`);
    expect(page.text).toContain(`<p>${ESCAPED}</p>`);
  });

  it("is text on the admin's list and edit form, in attributes too", async () => {
    const { owner, key } = await signedInOwner();
    const s = await newSession(key, { title: HOSTILE });
    const list = await browse("GET", "/admin/sessions", { cookie: owner.cookie });
    expect(list.text).toContain(`<a href="/admin/sessions/${s.id}">${ESCAPED}</a>`);
    const form = await browse("GET", `/admin/sessions/${s.id}/edit`, { cookie: owner.cookie });
    expect(form.text).toContain(`value="${ESCAPED}"`);
    expect(form.text).not.toContain("<script>alert(1)</script>");
  });

  it("is text on the session's public page", async () => {
    const { key } = await signedInOwner();
    const s = await newSession(key, { title: HOSTILE });
    const res = await SELF.fetch(`${BASE}/s/${s.id}`);
    const body = await res.text();
    expect(res.status).toBe(200);
    expect(body).toContain(`<title>${ESCAPED} · Forest Camp</title>`);
    expect(body).not.toContain("<script>alert(1)</script>");
    expect(body).not.toContain(`"'&`);
  });
});
