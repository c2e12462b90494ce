// Every address invited or registered becomes (or matches) a contact of its org, and the
// invitation or registration keeps its contactId: as the D1 projection writes them, and for rows
// written before, through migration 0012_contact_links.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, newOrg, newSession, registered } from "./helpers";
import { invited, ledgerStub } from "./invitation-helpers";

const contactsOf = async (key: string) => (await api("GET", "/v1/contacts?limit=100", { key })).body.contacts as any[];
/** The ledger writes its rows to D1 a moment after each commit: now, for the test. */
const drained = async (sessionId: string) => expect(await ledgerStub(sessionId).drain()).toEqual({ pending: 0 });
const linkOf = async (table: "invitations" | "registrations", id: string) =>
  (await env.DB.prepare(`select contact_id from ${table} where id = ?`).bind(id).first<{ contact_id: string | null }>())?.contact_id;

describe("contacts made from invitations and registrations", () => {
  it("gives two invited addresses a contact each, and links a registration of one in another case to the same contact", async () => {
    const { key, orgId } = await newOrg();
    const s = await newSession(key);
    const created = await invited(key, s.id, { recipients: "Ada Lovelace <Ada@Example.org>, grace@example.org", send: "later" });
    const reg = await registered(s.id, { name: "Ada L", email: "ada@example.ORG" });
    await drained(s.id);
    const contacts = await contactsOf(key);
    expect(contacts.map((c) => [c.email, c.firstName, c.lastName]).sort()).toEqual([
      ["Ada@Example.org", "Ada", "Lovelace"],
      ["grace@example.org", null, null],
    ]);
    const ada = contacts.find((c) => c.email === "Ada@Example.org")!;
    const grace = contacts.find((c) => c.email === "grace@example.org")!;
    expect(await linkOf("invitations", created.invitations[0].id)).toBe(ada.id);
    expect(await linkOf("invitations", created.invitations[1].id)).toBe(grace.id);
    expect(await linkOf("registrations", reg.registration.id)).toBe(ada.id);
    const from = await env.DB.prepare("select email_key, created_from from contacts where org_id = ? order by email_key").bind(orgId).all();
    expect(from.results).toEqual([
      { email_key: "ada@example.org", created_from: "invitation" },
      { email_key: "grace@example.org", created_from: "invitation" },
    ]);
  });

  it("links to the contact the provider made before, keeping its fields, and leaves other orgs' contacts alone", async () => {
    const { key } = await newOrg();
    const other = await newOrg("Other Camp");
    const theirs = (await api("POST", "/v1/contacts", { key: other.key, body: { email: "zoe@example.org" } })).body;
    const mine = (await api("POST", "/v1/contacts", { key, body: { email: "ZOE@example.org", firstName: "Zoé", type: "trainee" } })).body;
    const s = await newSession(key);
    const reg = await registered(s.id, { name: "Someone Else", email: "zoe@example.org" });
    await drained(s.id);
    expect(await linkOf("registrations", reg.registration.id)).toBe(mine.id);
    expect(await contactsOf(key)).toEqual([expect.objectContaining({ id: mine.id, firstName: "Zoé", lastName: null, type: "trainee" })]);
    expect(await contactsOf(other.key)).toEqual([expect.objectContaining({ id: theirs.id })]);
  });

  it("unlinks a registration once it is erased", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const reg = await registered(s.id, { name: "Bob Stone", email: "bob@example.org" });
    await drained(s.id);
    expect(await linkOf("registrations", reg.registration.id)).toEqual(expect.stringMatching(/^con_/));
    const erased = await api("POST", "/v1/privacy/erase", { key, body: { email: "bob@example.org" } });
    expect(erased.status, JSON.stringify(erased.body)).toBe(200);
    await drained(s.id);
    expect(await linkOf("registrations", reg.registration.id)).toBeNull();
  });
});

describe("migration 0012_contact_links", () => {
  const migration = () => env.TEST_MIGRATIONS.find((m) => m.name.startsWith("0012_contact_links"))!;

  it("creates one contact per org and address (case-insensitively) for rows written before, links them, and skips erased rows", async () => {
    const { orgId } = await newOrg();
    const other = await newOrg("Other Camp");
    const at = "2026-01-01T10:00:00.000Z";
    const later = "2026-01-02T10:00:00.000Z";
    // A contact the provider had made already, and rows written the old way (no contact_id).
    await env.DB.prepare(
      `insert into contacts (id, org_id, email, email_key, channel, type, tags, status, search, created_at, updated_at)
       values ('con_existing000000000000', ?1, 'Kim@Example.org', 'kim@example.org', 'email', 'member', '[]', 'active', 'kim@example.org', ?2, ?2)`,
    )
      .bind(orgId, at)
      .run();
    const inv = (id: string, org: string, email: string, name: string | null, created: string, erased: string | null = null) =>
      env.DB.prepare(
        `insert into invitations (id, session_id, org_id, email, name, status, hold_seat, created_at, updated_at, erased_at)
         values (?1, 'ses_x', ?2, ?3, ?4, 'sent', 1, ?5, ?5, ?6)`,
      ).bind(id, org, email, name, created, erased);
    const reg = (id: string, org: string, email: string, name: string, created: string, erased: string | null = null) =>
      env.DB.prepare(
        `insert into registrations (id, session_id, org_id, name, email, status, source, created_at, erased_at)
         values (?1, 'ses_x', ?2, ?3, ?4, 'confirmed', 'public', ?5, ?6)`,
      ).bind(id, org, name, email, created, erased);
    await env.DB.batch([
      inv("inv_old_1", orgId, "Ada@Example.org", "Ada King Lovelace", at),
      reg("reg_old_1", orgId, "ada@example.org", "Ada", later),
      reg("reg_old_2", orgId, "grace@example.org", "Grace", at),
      inv("inv_old_2", orgId, "KIM@example.org", null, at),
      inv("inv_old_3", orgId, "", "", at, later),
      reg("reg_old_3", orgId, "", "", at, later),
      inv("inv_old_4", other.orgId, "ada@example.org", null, at),
    ]);
    await env.DB.batch(migration().queries.map((q) => env.DB.prepare(q)));

    const contacts = await env.DB.prepare(
      "select id, org_id, email, email_key, first_name, last_name, created_from from contacts where org_id in (?1, ?2) order by org_id = ?1 desc, email_key",
    )
      .bind(orgId, other.orgId)
      .all<any>();
    const mine = contacts.results.filter((c) => c.org_id === orgId);
    expect(mine.map((c) => [c.email_key, c.email, c.first_name, c.last_name, c.created_from])).toEqual([
      ["ada@example.org", "Ada@Example.org", "Ada King", "Lovelace", "invitation"],
      ["grace@example.org", "grace@example.org", "Grace", null, "registration"],
      ["kim@example.org", "Kim@Example.org", null, null, null],
    ]);
    for (const c of contacts.results) expect(c.id).toMatch(/^con_[0-9a-z]{20}$/);
    const idOf = (org: string, key: string) => contacts.results.find((c) => c.org_id === org && c.email_key === key)!.id;
    expect(await linkOf("invitations", "inv_old_1")).toBe(idOf(orgId, "ada@example.org"));
    expect(await linkOf("registrations", "reg_old_1")).toBe(idOf(orgId, "ada@example.org"));
    expect(await linkOf("registrations", "reg_old_2")).toBe(idOf(orgId, "grace@example.org"));
    expect(await linkOf("invitations", "inv_old_2")).toBe("con_existing000000000000");
    expect(await linkOf("invitations", "inv_old_4")).toBe(idOf(other.orgId, "ada@example.org"));
    expect(await linkOf("invitations", "inv_old_3")).toBeNull();
    expect(await linkOf("registrations", "reg_old_3")).toBeNull();

    // Run again: nothing more is created.
    const count = async () => (await env.DB.prepare("select count(*) as n from contacts").first<{ n: number }>())!.n;
    const before = await count();
    await env.DB.batch(migration().queries.map((q) => env.DB.prepare(q)));
    expect(await count()).toBe(before);
  });
});
