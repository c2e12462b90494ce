// An org's public listing: its slug (PATCH /v1/org), GET /v1/public/orgs/{slug}/sessions and the
// hosted page /o/{slug}.
import { env } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { browse, ownerAndColleague, signedInOwner, submit } from "./admin-helpers";
import { api, expectProblem, hoursFromNow, newOrg, newSession, register } from "./helpers";

let slugs = 0;
const freshSlug = () => `camp-${Date.now().toString(36)}-${++slugs}`;

async function listedOrg(name = "Forest Camp") {
  const org = await newOrg(name);
  const slug = freshSlug();
  const res = await api("PATCH", "/v1/org", { key: org.key, body: { slug } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return { ...org, slug };
}

const listing = (slug: string, query = "", headers: Record<string, string> = {}) =>
  api("GET", `/v1/public/orgs/${slug}/sessions${query}`, { headers });

/** The listing once the projection has caught up with `count` sessions. */
async function settled(slug: string, count: number, query = "") {
  return vi.waitFor(async () => {
    const res = await listing(slug, query);
    if (res.body.sessions?.length !== count) throw new Error(`listing has ${res.body.sessions?.length} of ${count}`);
    return res;
  });
}

describe("PATCH /v1/org slug", () => {
  it("sets, shows and clears the slug", async () => {
    const { key } = await newOrg();
    const slug = freshSlug();
    const set = await api("PATCH", "/v1/org", { key, body: { slug } });
    expect(set.body.slug).toBe(slug);
    expect((await api("GET", "/v1/org", { key })).body.slug).toBe(slug);
    const cleared = await api("PATCH", "/v1/org", { key, body: { slug: null } });
    expect(cleared.body.slug).toBeNull();
    expectProblem(await listing(slug), "not_found");
  });

  it.each([
    ["ab", "too short"],
    ["a".repeat(49), "too long"],
    ["Forest-Camp", "upper case"],
    ["-camp", "leading hyphen"],
    ["camp-", "trailing hyphen"],
    ["camp_site", "underscore"],
    ["admin", "reserved"],
    ["v1", "reserved"],
    ["api", "reserved"],
  ])("refuses %s (%s) with 422 naming the field", async (slug) => {
    const { key } = await newOrg();
    const res = await api("PATCH", "/v1/org", { key, body: { slug } });
    expectProblem(res, "validation_failed");
    expect(res.body.errors).toEqual([expect.objectContaining({ path: "slug" })]);
    expect((await api("GET", "/v1/org", { key })).body.slug).toBeNull();
  });

  it("answers 409 slug_taken when another org has the slug, and changes nothing", async () => {
    const first = await listedOrg();
    const second = await newOrg("Other");
    const res = await api("PATCH", "/v1/org", { key: second.key, body: { slug: first.slug, name: "Renamed" } });
    expectProblem(res, "slug_taken");
    const org = (await api("GET", "/v1/org", { key: second.key })).body;
    expect(org).toMatchObject({ slug: null, name: "Other" });
    // Setting one's own slug again is no conflict.
    expect((await api("PATCH", "/v1/org", { key: first.key, body: { slug: first.slug } })).status).toBe(200);
  });

  it("changes only the caller's org", async () => {
    const a = await listedOrg("A");
    const b = await listedOrg("B");
    const next = freshSlug();
    await api("PATCH", "/v1/org", { key: a.key, body: { slug: next } });
    expect((await api("GET", "/v1/org", { key: b.key })).body.slug).toBe(b.slug);
    expect((await api("GET", "/v1/org", { key: a.key })).body.slug).toBe(next);
  });
});

describe("GET /v1/public/orgs/{slug}/sessions", () => {
  it("lists upcoming listed sessions only, never another org's, with no personal data", async () => {
    const org = await listedOrg();
    const other = await listedOrg("Other");
    const shown = await newSession(org.key, { title: "Shown", registrationCode: "secret-code", tags: ["outdoors"] });
    await newSession(org.key, { title: "Unlisted", listed: false });
    const cancelled = await newSession(org.key, { title: "Cancelled" });
    await api("POST", `/v1/sessions/${cancelled.id}/cancel`, { key: org.key });
    const started = await newSession(org.key, { title: "Started" });
    await newSession(other.key, { title: "Theirs" });
    expect((await register(shown.id, { name: "Ada Lovelace", email: "ada@example.org", code: "secret-code" })).status).toBe(201);

    // The started one: the projection says it began an hour ago.
    await vi.waitFor(async () => {
      const row = await env.DB.prepare("SELECT confirmed FROM sessions WHERE id = ?").bind(shown.id).first<{ confirmed: number }>();
      if (row?.confirmed !== 1) throw new Error("registration not projected yet");
    });
    await env.DB.prepare("UPDATE sessions SET starts_at = ? WHERE id = ?").bind(hoursFromNow(-1), started.id).run();

    const res = await settled(org.slug, 1);
    expect(res.status).toBe(200);
    expect(res.body.org).toEqual({ name: "Forest Camp", slug: org.slug });
    expect(res.body.sessions).toEqual([
      expect.objectContaining({
        id: shown.id,
        title: "Shown",
        seats: { capacity: 10, available: 9, waitlisted: 0 },
        registrationState: "open",
        tags: ["outdoors"],
        program: null,
        url: `/s/${shown.id}`,
      }),
    ]);
    const text = JSON.stringify(res.body);
    for (const secret of ["ada@example.org", "Ada Lovelace", "secret-code", "registrationCode", "confirmed", other.orgId, org.orgId])
      expect(text).not.toContain(secret);
    expect(text).not.toContain("Theirs");
  });

  it("pages by cursor in start order without duplicates or gaps", async () => {
    const org = await listedOrg();
    const same = hoursFromNow(24 * 10);
    const created = [];
    for (let i = 0; i < 5; i++)
      created.push(await newSession(org.key, { title: `S${i}`, startsAt: i < 3 ? same : hoursFromNow(24 * (20 - i)) }));
    await settled(org.slug, 5, "?limit=50");
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await listing(org.slug, `?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.sessions.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.sessions.map((s: { id: string }) => s.id));
      cursor = res.body.next;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    const expected = [...created]
      .sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt) || (a.id < b.id ? -1 : 1))
      .map((s) => s.id);
    expect(seen).toEqual(expected);
    expectProblem(await listing(org.slug, "?cursor=not-a-cursor"), "validation_failed");
    expectProblem(await listing(org.slug, "?limit=51"), "validation_failed");
  });

  it("filters by program and by tag, and names both in its facets", async () => {
    const org = await listedOrg();
    const inProgram = await newSession(org.key, { title: "Week 1", tags: ["kids"] });
    const tagged = await newSession(org.key, { title: "Climb", tags: ["adults", "outdoors"] });
    await newSession(org.key, { title: "Plain" });
    const program = (await api("POST", "/v1/programs", { key: org.key, body: { name: "Summer", startsOn: "2027-06-01", timeZone: "UTC" } }))
      .body;
    await api("POST", `/v1/programs/${program.id}/sessions`, { key: org.key, body: { sessionIds: [inProgram.id] } });
    const all = await settled(org.slug, 3);
    expect(all.body.facets).toEqual({ programs: [{ id: program.id, name: "Summer" }], tags: ["adults", "kids", "outdoors"] });
    const byProgram = await listing(org.slug, `?program=${program.id}`);
    expect(byProgram.body.sessions.map((s: { id: string }) => s.id)).toEqual([inProgram.id]);
    expect(byProgram.body.sessions[0].program).toEqual({ id: program.id, name: "Summer" });
    const byTag = await listing(org.slug, "?tag=outdoors");
    expect(byTag.body.sessions.map((s: { id: string }) => s.id)).toEqual([tagged.id]);
    expect((await listing(org.slug, "?tag=nothing")).body.sessions).toEqual([]);
  });

  it("drops a session from the listing once it is edited to listed: false", async () => {
    const org = await listedOrg();
    const s = await newSession(org.key);
    await settled(org.slug, 1);
    const edited = await api("PATCH", `/v1/sessions/${s.id}`, { key: org.key, body: { listed: false, tags: ["a", "a", "b"] } });
    expect(edited.body).toMatchObject({ listed: false, tags: ["a", "b"] });
    await settled(org.slug, 0);
  });

  it("is cacheable for 30 seconds with an ETag, and answers 304 to it", async () => {
    const org = await listedOrg();
    await newSession(org.key);
    const res = await settled(org.slug, 1);
    expect(res.headers.get("cache-control")).toBe("public, max-age=30");
    const etag = res.headers.get("etag");
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    const again = await listing(org.slug, "", { "if-none-match": etag! });
    expect(again.status).toBe(304);
    expect(again.headers.get("cache-control")).toBe("public, max-age=30");
    expect(again.headers.get("etag")).toBe(etag);
    await newSession(org.key, { title: "Another" });
    const changed = await settled(org.slug, 2);
    expect(changed.headers.get("etag")).not.toBe(etag);
  });

  it("answers 404 for an unknown slug and one that could never be set, not cached", async () => {
    for (const slug of ["no-such-org-here", "ADMIN", "x"]) {
      const res = await listing(slug);
      expectProblem(res, "not_found");
      expect(res.headers.get("cache-control")).toBe("no-store");
    }
  });
});

describe("GET /o/{slug}", () => {
  it("lists the upcoming listed sessions with links to their pages, the org in the title, as plain links", async () => {
    const org = await listedOrg("Forest Camp");
    const shown = await newSession(org.key, { title: "Shown", tags: ["outdoors"] });
    await newSession(org.key, { title: "Hidden", listed: false });
    await settled(org.slug, 1);
    const res = await api("GET", `/o/${org.slug}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect(res.headers.get("cache-control")).toBe("no-store");
    const html = res.body as string;
    expect(html).toContain("<title>Upcoming sessions — Forest Camp</title>");
    expect(html).toContain(`href="/s/${shown.id}"`);
    expect(html).toContain("Shown");
    expect(html).toContain("10 seats left");
    expect(html).not.toContain("Hidden");
    expect(html).toContain('name="tag"');
  });

  it("speaks French by Accept-Language and says when nothing is coming", async () => {
    const org = await listedOrg("Camp");
    const res = await api("GET", `/o/${org.slug}`, { headers: { "accept-language": "fr-FR,fr;q=0.9" } });
    expect(res.status).toBe(200);
    expect(res.body).toContain('lang="fr"');
    expect(res.body).toContain("Aucune séance à venir.");
  });

  it("answers 404 for an unknown slug", async () => {
    const res = await api("GET", "/o/no-such-org-here");
    expect(res.status).toBe(404);
    expect(res.body).toContain("<h1>Page not found</h1>");
    expect(res.body).toContain("No organisation lists its sessions at this address.");
  });
});

describe("the admin's settings: public address", () => {
  it("lets an owner set the slug and shows the listing's page and snippet with copy buttons", async () => {
    const { owner, key } = await signedInOwner();
    const slug = freshSlug();
    expect((await submit(owner, "/admin/settings", { name: "Forest Camp", slug })).status).toBe(303);
    expect((await api("GET", "/v1/org", { key })).body.slug).toBe(slug);
    const page = await browse("GET", "/admin/settings", { cookie: owner.cookie });
    expect(page.text).toContain(`/o/${slug}`);
    expect(page.text).toContain(`&lt;rollcall-sessions org=&quot;${slug}&quot;&gt;&lt;/rollcall-sessions&gt;`);
    expect(page.text).toContain('data-copy="listing-embed"');
  });

  it("lets an admin set it too, and names the field when it is invalid or taken", async () => {
    const { colleague, key } = await ownerAndColleague();
    const other = await listedOrg("Other");
    const bad = await submit(colleague, "/admin/settings", { name: "Forest Camp", slug: "Admin Page" });
    expect(bad.status).toBe(422);
    expect(bad.text).toMatch(/id="slug"[^>]*aria-invalid="true"/);
    const taken = await submit(colleague, "/admin/settings", { name: "Forest Camp", slug: other.slug });
    expect(taken.status).toBe(409);
    expect(taken.text).toContain("Another organisation already uses this address");
    expect((await api("GET", "/v1/org", { key })).body.slug).toBeNull();
    const slug = freshSlug();
    expect((await submit(colleague, "/admin/settings", { name: "Forest Camp", slug })).status).toBe(303);
    expect((await api("GET", "/v1/org", { key })).body.slug).toBe(slug);
  });
});

describe("the admin's session form: listed and tags", () => {
  const form = (overrides: Record<string, string>) => ({
    title: "Forest camp — week 1",
    description: "A morning together.",
    startsAtLocal: "2031-07-05T09:00",
    timeZone: "Europe/Paris",
    durationMinutes: "180",
    minParticipants: "1",
    maxParticipants: "12",
    waitlist: "on",
    registrationOpensAtLocal: "",
    registrationClosesAtLocal: "",
    registrationCode: "",
    ...overrides,
  });

  it("offers listed ticked by default, and saves listed and tags", async () => {
    const { owner, key } = await signedInOwner();
    const blank = await browse("GET", "/admin/sessions/new", { cookie: owner.cookie });
    expect(blank.text).toMatch(/<input[^>]*name="listed"[^>]*checked/);
    const created = await submit(owner, "/admin/sessions", form({ tags: "kids, outdoors, kids" }));
    expect(created.status).toBe(303);
    const id = created.location!.split("/")[3]!.split("?")[0]!;
    expect((await api("GET", `/v1/sessions/${id}`, { key })).body).toMatchObject({ listed: false, tags: ["kids", "outdoors"] });
    const listed = await submit(owner, "/admin/sessions", form({ listed: "on" }));
    const other = listed.location!.split("/")[3]!.split("?")[0]!;
    expect((await api("GET", `/v1/sessions/${other}`, { key })).body).toMatchObject({ listed: true, tags: [] });
  });
});
