// A member's public page (seed 001: "you and your program members can also see all of your upcoming
// group sessions on your public profile page"): the name they give in the hosted admin, the page's
// address made from it, the listing narrowed to their sessions (API, hosted page) and the org's
// listing saying who hosts what.

import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { freeSlug, slugOfName } from "../../worker/members/public-page";
import { browse, followLink, linkFor, type SignedIn, signedInOwner, submit, uniqueEmail } from "./admin-helpers";
import { api, BASE, newSession } from "./helpers";

/** An org with a public address, its owner and a host (invited through the members page), both signed in. */
async function orgWithHost(orgSlug = `camp-${crypto.randomUUID().slice(0, 8)}`) {
  const org = await signedInOwner("Forest Camp");
  expect((await api("PATCH", "/v1/org", { key: org.key, body: { slug: orgSlug } })).status).toBe(200);
  const email = uniqueEmail("mentor");
  expect((await submit(org.owner, "/admin/members", { email, role: "host" })).status).toBe(303);
  const host: SignedIn = { ...(await followLink(linkFor(org.mail, email))), email } as SignedIn;
  const members = (await api("GET", "/v1/members", { key: org.key })).body.members as { id: string; email: string; role: string }[];
  const hostId = members.find((m) => m.email === email)!.id;
  const ownerId = members.find((m) => m.role === "owner")!.id;
  return { ...org, orgSlug, host, hostId, ownerId };
}

const named = (who: { cookie: string; csrf: string }, publicName: string, headers: Record<string, string> = {}) =>
  submit(who, "/admin/profile", { publicName }, headers);

const listing = (slug: string, query = "") => SELF.fetch(`${BASE}/v1/public/orgs/${slug}/sessions${query}`);

describe("a public page's address", () => {
  it("is made from the name, accents and signs aside, and is never taken twice", () => {
    expect(slugOfName("Hélène Côté-Martin")).toBe("helene-cote-martin");
    expect(slugOfName("  Coach   Marie!  ")).toBe("coach-marie");
    expect(slugOfName("王小明")).toBe("host");
    expect(slugOfName("a".repeat(60))).toHaveLength(40);
    expect(freeSlug("marie-curie", new Set())).toBe("marie-curie");
    expect(freeSlug("marie-curie", new Set(["marie-curie", "marie-curie-2"]))).toBe("marie-curie-3");
    expect(freeSlug("a".repeat(40), new Set(["a".repeat(40)]))).toBe(`${"a".repeat(38)}-2`);
  });
});

describe("Your public page, in the hosted admin", () => {
  it("gives a host a page once they give their name, with its address and snippet to copy", async () => {
    const org = await orgWithHost();
    const before = await browse("GET", "/admin/profile", { cookie: org.host.cookie });
    expect(before.status).toBe(200);
    expect(before.text).toContain('<a href="/admin/profile" aria-current="page">Your public page</a>');
    expect(before.text).toContain("You have no public page yet: give your name above to have one.");
    expect(before.text).toContain('<label for="publicName">Your name as participants see it</label>');

    const saved = await named(org.host, "Marie Curie");
    expect(saved.status).toBe(303);
    expect(saved.location).toBe("/admin/profile?notice=saved");
    const after = await browse("GET", saved.location!, { cookie: org.host.cookie });
    expect(after.text).toContain(`value="${BASE}/o/${org.orgSlug}/hosts/marie-curie"`);
    expect(after.text).toContain(
      `&lt;rollcall-sessions org=&quot;${org.orgSlug}&quot; host=&quot;marie-curie&quot;&gt;&lt;/rollcall-sessions&gt;`,
    );
    const members = (await api("GET", "/v1/members", { key: org.key })).body.members;
    expect(members.find((m: { id: string }) => m.id === org.hostId)).toMatchObject({
      publicName: "Marie Curie",
      publicSlug: "marie-curie",
    });
  });

  it("keeps the address when the name changes, gives the same name another address, and removes the page when blank", async () => {
    const org = await orgWithHost();
    await named(org.host, "Marie Curie");
    expect((await named(org.owner, "Marie Curie")).status).toBe(303);
    const slugs = async () =>
      Object.fromEntries(
        ((await api("GET", "/v1/members", { key: org.key })).body.members as { id: string; publicSlug: string | null }[]).map((m) => [
          m.id,
          m.publicSlug,
        ]),
      );
    expect(await slugs()).toMatchObject({ [org.hostId]: "marie-curie", [org.ownerId]: "marie-curie-2" });
    await named(org.host, "Coach Marie");
    expect((await slugs())[org.hostId]).toBe("marie-curie");
    expect((await (await listing(org.orgSlug, "?host=marie-curie")).json<any>()).host.name).toBe("Coach Marie");

    const removed = await named(org.host, "  ");
    expect(removed.location).toBe("/admin/profile?notice=removed");
    expect((await slugs())[org.hostId]).toBeNull();
    const gone = await listing(org.orgSlug, "?host=marie-curie");
    expect(gone.status).toBe(404);
    expect((await gone.json<any>()).code).toBe("not_found");
  });

  it("refuses a name over two lines or too long, in the member's language, and keeps the one before", async () => {
    const org = await orgWithHost();
    await named(org.host, "Marie Curie");
    const refused = await named(org.host, "Marie\nCurie", { "accept-language": "fr" });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain("Saisissez votre nom sur une ligne, en 80 caractères au plus.");
    expect(refused.text).toMatch(/id="publicName"[^>]*aria-invalid="true"/);
    expect((await named(org.host, "M".repeat(81))).status).toBe(422);
    const row = await env.DB.prepare("SELECT public_name FROM members WHERE id = ?").bind(org.hostId).first<{ public_name: string }>();
    expect(row?.public_name).toBe("Marie Curie");
  });

  it("says when the org has no public address yet", async () => {
    const org = await signedInOwner("Nameless Camp");
    await named(org.owner, "Ada Lovelace");
    const page = await browse("GET", "/admin/profile", { cookie: org.owner.cookie });
    expect(page.text).toContain("Nameless Camp has no public address yet, so your page has none either");
  });
});

describe("a host's sessions in public", () => {
  async function hostWithSessions() {
    const org = await orgWithHost();
    await named(org.host, "Marie Curie");
    const hers = await newSession(org.key, { title: "Mentoring with Marie", hostMemberId: org.hostId, tags: ["mentoring"] });
    const unlisted = await newSession(org.key, { title: "Marie, unlisted", hostMemberId: org.hostId, listed: false });
    const other = await newSession(org.key, { title: "Camp for all", tags: ["camp"] });
    return { ...org, hers, unlisted, other };
  }

  it("lists only the host's upcoming listed sessions, names them, and narrows the filters to theirs", async () => {
    const org = await hostWithSessions();
    const res = await listing(org.orgSlug, "?host=marie-curie");
    expect(res.status).toBe(200);
    const body = await res.json<any>();
    const marie = { name: "Marie Curie", slug: "marie-curie", url: `/o/${org.orgSlug}/hosts/marie-curie` };
    expect(body.host).toEqual(marie);
    expect(body.sessions.map((s: { title: string }) => s.title)).toEqual(["Mentoring with Marie"]);
    expect(body.sessions[0].host).toEqual(marie);
    expect(body.facets.tags).toEqual(["mentoring"]);

    // The whole org's list says who hosts what, when they have a page.
    const all = await (await listing(org.orgSlug)).json<any>();
    expect(all.host).toBeNull();
    expect(Object.fromEntries(all.sessions.map((s: { title: string; host: unknown }) => [s.title, s.host]))).toEqual({
      "Mentoring with Marie": marie,
      "Camp for all": null,
    });
  });

  it("answers 404 for a host no one is, or another org's, and 422 for an address that could never be one", async () => {
    const org = await hostWithSessions();
    const elsewhere = await hostWithSessions();
    for (const query of ["?host=nobody-here", `?host=marie-curie-2`]) expect((await listing(org.orgSlug, query)).status).toBe(404);
    // Another org's Marie is theirs: our address does not reach her, nor hers ours.
    const theirs = await (await listing(elsewhere.orgSlug, "?host=marie-curie")).json<any>();
    expect(theirs.sessions.map((s: { id: string }) => s.id)).toEqual([elsewhere.hers.id]);
    const bad = await listing(org.orgSlug, "?host=Marie%20Curie");
    expect(bad.status).toBe(422);
    expect((await bad.json<any>()).code).toBe("validation_failed");
  });

  it("has a hosted page, linked from the org's, in English and French", async () => {
    const org = await hostWithSessions();
    const page = await browse("GET", `/o/${org.orgSlug}/hosts/marie-curie`);
    expect(page.status).toBe(200);
    expect(page.text).toContain("<title>Sessions with Marie Curie — Forest Camp</title>");
    expect(page.text).toContain("<h1>Upcoming sessions with Marie Curie</h1>");
    expect(page.text).toContain(`<a href="/o/${org.orgSlug}">Every session of Forest Camp</a>`);
    expect(page.text).toContain("Mentoring with Marie");
    expect(page.text).not.toContain("Camp for all");
    expect(page.text).not.toContain("Marie, unlisted");

    const orgPage = await browse("GET", `/o/${org.orgSlug}`);
    expect(orgPage.text).toContain(`<a href="/o/${org.orgSlug}/hosts/marie-curie">With Marie Curie</a>`);

    const french = await browse("GET", `/o/${org.orgSlug}/hosts/marie-curie`, { headers: { "accept-language": "fr" } });
    expect(french.text).toContain("<h1>Séances à venir avec Marie Curie</h1>");
    expect(french.text).toContain("Toutes les séances de Forest Camp");

    for (const path of [`/o/${org.orgSlug}/hosts/nobody-here`, `/o/${org.orgSlug}/hosts/Not%20One`, "/o/no-such-org/hosts/marie-curie"])
      expect((await browse("GET", path)).status, path).toBe(404);
  });
});
