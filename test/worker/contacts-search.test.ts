// The contact list over a large directory: whichever way a query is answered (from a group's
// members, the trigram index, a tag's contacts, or a walk of the org's contacts in name order),
// it finds what a plain substring search finds, counts it and pages through it; the trigram index
// and the tag rows follow every write; and SQLite reads through the indexes it was given.
import { env } from "cloudflare:test";
import { drizzle } from "drizzle-orm/d1";
import { describe, expect, it } from "vitest";
import { searchText } from "../../worker/contacts/fields";
import { DRIVEN_PAGE_LIMIT, searchDriver, searchTerm, trigramPhrase, usesTrigrams } from "../../worker/contacts/search";
import { type ContactQuery, compareCodePoints, contactListStatements } from "../../worker/contacts/store";
import { api, newOrg } from "./helpers";

type Listed = {
  id: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  tags: string[];
  groups: { id: string; name: string }[];
};
type Person = { email: string; firstName: string; lastName: string; type: string; tags: string[]; groups: string[] };

const HEADER = "email,firstName,lastName,type,tags,groups";
const cell = (value: string) => (/[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
const csvOf = (people: Person[]) =>
  `${HEADER}\n${people.map((p) => [p.email, p.firstName, p.lastName, p.type, p.tags.join("|"), p.groups.join("|")].map(cell).join(",")).join("\n")}\n`;

async function importPeople(key: string, people: Person[]) {
  const res = await api("POST", "/v1/contacts/import", { key, body: { csv: csvOf(people), dryRun: false } });
  expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
}

/** Every page of a query, followed by its cursor; with the total each page announced. */
async function everyPage(key: string, query: Record<string, string>, limit = 200) {
  const found: Listed[] = [];
  const totals = new Set<number>();
  let cursor: string | null = null;
  do {
    const params: URLSearchParams = new URLSearchParams({ ...query, limit: String(limit), ...(cursor ? { cursor } : {}) });
    const res = await api<{ contacts: Listed[]; total: number; nextCursor: string | null }>("GET", `/v1/contacts?${params}`, { key });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    found.push(...res.body.contacts);
    totals.add(res.body.total);
    cursor = res.body.nextCursor;
  } while (cursor);
  return { found, totals: [...totals] };
}

const sortKey = (c: Pick<Listed, "lastName" | "firstName" | "id">) => [c.lastName ?? "", c.firstName ?? "", c.id];
const inNameOrder = (list: Listed[]) =>
  list.every((c, i) => {
    if (i === 0) return true;
    const [a, b] = [sortKey(list[i - 1]!), sortKey(c)];
    const first = a.findIndex((v, k) => v !== b[k]);
    return first === -1 || compareCodePoints(a[first]!, b[first]!) < 0;
  });

describe("search.ts", () => {
  it("starts from a group, then a text of 3 characters or more, then a tag", () => {
    expect(searchDriver({ group: "grp_1", q: "lovelace", tag: "north" })).toBe("group");
    expect(searchDriver({ q: "lov", tag: "north", type: "mentor" })).toBe("text");
    expect(searchDriver({ q: "lo", tag: "north" })).toBe("tag");
    expect(searchDriver({ q: "lo", type: "mentor", status: "active" })).toBeNull();
    expect(searchDriver({})).toBeNull();
  });

  it("counts characters, not UTF-16 units, and quotes the text so every character is literal", () => {
    expect(usesTrigrams(searchTerm("  Zoë "))).toBe(true);
    expect(usesTrigrams(searchTerm("é😀"))).toBe(false);
    expect(usesTrigrams(searchTerm("   "))).toBe(false);
    expect(searchTerm("CHLOÉ")).toBe("chloe");
    expect(searchText({ firstName: "Hélène", lastName: "Østergaard-Núñez", email: "HN@Example.org" })).toBe(
      "helene østergaard-nunez hn@example.org",
    );
    expect(trigramPhrase('ab"c OR d*')).toBe('"ab""c OR d*"');
  });
});

describe("GET /v1/contacts over every path", () => {
  // 2,100 people: more than a driven page takes for a text (a walk), for a group and a tag (600
  // each); and small sets (3 in a group, a rare tag) that are picked and sorted.
  const FIRST = ["Ada", "Éloïse", "Zoë", "Grace", "Chloé", "Jean-François", "Björn", "O'Neil"];
  const LAST = ["Lovelace", "Hopper", "Dubois", "Núñez", "Østergaard", "de la Fuente", "Müller", "Lefèvre", "Côté"];
  const TYPES = ["member", "mentor", "trainee", "client"];
  const people: Person[] = Array.from({ length: 2100 }, (_, i) => ({
    email: `p${i}.${["walk", "navy", "school"][i % 3]}@${i < 2050 ? "walk" : "rare"}.example`,
    firstName: FIRST[i % FIRST.length]!,
    lastName: LAST[(i * 7) % LAST.length]!,
    type: TYPES[i % TYPES.length]!,
    tags: [...(i % 3 === 0 ? ["wide"] : []), ...(i % 500 === 7 ? ['rare "one"'] : []), ...(i % 5 === 0 ? ["evening"] : [])],
    groups: [...(i < 600 ? ["Big"] : []), ...(i % 700 === 1 ? ["Trio"] : []), ...(i % 4 === 0 ? ["Évening, late"] : [])],
  }));
  const text = people.map((p) => searchText(p));

  /** What the directory holds for a query, by the rules of the search itself. */
  function expected(query: { q?: string; group?: string; tag?: string; type?: string }) {
    const term = searchTerm(query.q);
    return people.filter(
      (p, i) =>
        (!term || text[i]!.includes(term)) &&
        (!query.group || p.groups.includes(query.group)) &&
        (!query.tag || p.tags.includes(query.tag)) &&
        (!query.type || p.type === query.type),
    );
  }

  it("finds, counts and pages exactly what a substring search finds, in name order, by every path", async () => {
    const { key } = await newOrg();
    await importPeople(key, people);
    const groups = new Map<string, string>(
      (await api("GET", "/v1/groups", { key })).body.groups.map((g: { id: string; name: string }) => [g.name, g.id]),
    );
    const queries: { q?: string; group?: string; tag?: string; type?: string }[] = [
      {},
      { q: "a" },
      { q: "Zo" },
      { q: "Ø" },
      { q: "zoë" },
      { q: "ZOE" },
      { q: "velac" },
      { q: "ada lov" },
      { q: "o'n" },
      { q: "navy@w" },
      { q: "walk" },
      { q: '"one' },
      { q: "nothing like it" },
      { group: "Big" },
      { group: "Trio" },
      { group: "Big", q: "zo" },
      { group: "Big", tag: "wide", type: "mentor" },
      { tag: "wide" },
      { tag: 'rare "one"' },
      { tag: "evening", q: "côté" },
      { type: "trainee" },
      { type: "client", q: "ü" },
      { q: "rare.ex", tag: "evening", group: "Évening, late" },
    ];
    const drivers = new Set<string | null>();
    for (const query of queries) {
      const want = expected(query);
      const params = Object.fromEntries(Object.entries(query).map(([k, v]) => [k, k === "group" ? groups.get(v)! : v])) as Record<
        string,
        string
      >;
      const driver = searchDriver(params);
      drivers.add(`${driver}:${driver && want.length <= DRIVEN_PAGE_LIMIT[driver] ? "pick" : "walk"}`);
      const { found, totals } = await everyPage(key, params);
      const label = JSON.stringify(query);
      expect(totals, label).toEqual([want.length]);
      expect(found.map((c) => c.email).sort(), label).toEqual(want.map((p) => p.email).sort());
      expect(inNameOrder(found), label).toBe(true);
    }
    // Every path was taken: each driver picking a small set and walking a large one, and no driver.
    expect([...drivers].sort()).toEqual(["group:pick", "group:walk", "null:walk", "tag:pick", "tag:walk", "text:pick", "text:walk"]);
  });

  it("gives each listed contact its groups, in name order", async () => {
    const { key } = await newOrg();
    await importPeople(key, [
      { email: "ada@example.org", firstName: "Ada", lastName: "Lovelace", type: "member", tags: [], groups: ["Zèbres", "Alpha", "Été"] },
      { email: "grace@example.org", firstName: "Grace", lastName: "Hopper", type: "member", tags: [], groups: [] },
    ]);
    for (const query of ["", "?q=lov", "?q=ad", "?type=member"]) {
      const list = (await api("GET", `/v1/contacts${query}`, { key })).body.contacts as Listed[];
      const ada = list.find((c) => c.lastName === "Lovelace")!;
      expect(
        ada.groups.map((g) => g.name),
        query,
      ).toEqual(["Alpha", "Zèbres", "Été"]);
      expect(list.find((c) => c.lastName === "Hopper")?.groups ?? [], query).toEqual([]);
    }
    const alpha = ((await api("GET", "/v1/contacts?q=lovelace", { key })).body.contacts as Listed[])[0]!.groups[0]!;
    const members = await api("GET", `/v1/contacts?group=${alpha.id}`, { key });
    expect(members.body.contacts[0].groups.map((g: { name: string }) => g.name)).toEqual(["Alpha", "Zèbres", "Été"]);
  });
});

describe("the trigram index and the tag rows", () => {
  const names = async (key: string, query: string) => {
    const body = (await api("GET", `/v1/contacts?${query}`, { key })).body;
    return { names: (body.contacts as Listed[]).map((c) => c.lastName), total: body.total as number };
  };

  it("follow an edit, an import that updates, and an erasure", async () => {
    const { key } = await newOrg();
    const ada = (
      await api("POST", "/v1/contacts", {
        key,
        body: { email: "ada@example.org", firstName: "Ada", lastName: "Lovelace", tags: ["north", "evening"] },
      })
    ).body;
    expect(await names(key, "q=lovelace")).toEqual({ names: ["Lovelace"], total: 1 });
    expect(await names(key, "tag=north")).toEqual({ names: ["Lovelace"], total: 1 });

    await api("PATCH", `/v1/contacts/${ada.id}`, { key, body: { lastName: "Byron", tags: ["south"] } });
    expect(await names(key, "q=lovelace")).toEqual({ names: [], total: 0 });
    expect(await names(key, "q=byro")).toEqual({ names: ["Byron"], total: 1 });
    expect(await names(key, "tag=north")).toEqual({ names: [], total: 0 });
    expect(await names(key, "tag=south")).toEqual({ names: ["Byron"], total: 1 });

    const csv = `${HEADER}\nada@example.org,Augusta,King,,west|north,\n`;
    expect((await api("POST", "/v1/contacts/import", { key, body: { csv, dryRun: false } })).body.counts.update).toBe(1);
    expect(await names(key, "q=byron")).toEqual({ names: [], total: 0 });
    expect(await names(key, "q=augusta")).toEqual({ names: ["King"], total: 1 });
    expect(await names(key, "tag=south")).toEqual({ names: [], total: 0 });
    expect(await names(key, "tag=north")).toEqual({ names: ["King"], total: 1 });

    await api("DELETE", `/v1/contacts/${ada.id}`, { key });
    expect(await names(key, "q=augusta")).toEqual({ names: [], total: 0 });
    expect(await names(key, "q=ada@")).toEqual({ names: [], total: 0 });
    expect(await names(key, "tag=north")).toEqual({ names: [], total: 0 });
    const left = await env.DB.prepare("select count(*) as n from contact_tags where contact_id = ?").bind(ada.id).first<{ n: number }>();
    expect(left?.n).toBe(0);
  });

  it("find a name typed with or without its accents, by the index and row by row", async () => {
    const { key } = await newOrg();
    await api("POST", "/v1/contacts", { key, body: { email: "hd@example.org", firstName: "Hélène", lastName: "Dupré" } });
    await api("POST", "/v1/contacts", { key, body: { email: "ah@example.org", firstName: "Anne", lastName: "Hebert" } });
    for (const q of ["helene", "HÉLÈNE", "Hélène Dupré", "dupre", "PRÉ"])
      expect(await names(key, `q=${encodeURIComponent(q)}`)).toEqual({ names: ["Dupré"], total: 1 });
    // Two characters are searched row by row, not through the index: the same rule holds.
    expect(await names(key, `q=${encodeURIComponent("hé")}`)).toEqual({ names: ["Dupré", "Hebert"], total: 2 });
  });

  it("find the contacts stored before accents were dropped, once migration 0025 has folded their text", async () => {
    const { orgId, key } = await newOrg();
    const at = "2026-01-01T10:00:00.000Z";
    // A contact as written before: its text lower-cased with its accents.
    await env.DB.prepare(
      `insert into contacts (id, org_id, email, email_key, first_name, last_name, channel, type, tags, status, search, created_at, updated_at)
       values ('con_beforefold0000000000', ?1, 'hd@example.org', 'hd@example.org', 'Hélène', 'Dupré', 'email', 'member', '[]', 'active',
               'hélène dupré hd@example.org', ?2, ?2)`,
    )
      .bind(orgId, at)
      .run();
    expect(await names(key, "q=helene")).toEqual({ names: [], total: 0 });

    const migration = env.TEST_MIGRATIONS.find((m) => m.name.startsWith("0025_contact_search_folded"))!;
    await env.DB.batch(migration.queries.map((q) => env.DB.prepare(q)));

    const stored = await env.DB.prepare("select search from contacts where id = 'con_beforefold0000000000'").first<{ search: string }>();
    expect(stored?.search).toBe(searchText({ firstName: "Hélène", lastName: "Dupré", email: "hd@example.org" }));
    expect(await names(key, "q=helene")).toEqual({ names: ["Dupré"], total: 1 });
    expect(await names(key, "q=dupr")).toEqual({ names: ["Dupré"], total: 1 });
  });

  it("keep each org's contacts to itself", async () => {
    const one = await newOrg("One");
    const two = await newOrg("Two");
    await importPeople(one.key, [
      { email: "ada@one.example", firstName: "Ada", lastName: "Lovelace", type: "member", tags: ["north"], groups: [] },
    ]);
    await importPeople(two.key, [
      { email: "ada@two.example", firstName: "Ada", lastName: "Lovelace", type: "member", tags: ["north"], groups: [] },
    ]);
    for (const query of ["q=lovelace", "tag=north", "q=ada&tag=north"]) {
      const body = (await api("GET", `/v1/contacts?${query}`, { key: one.key })).body;
      expect([body.total, body.contacts.map((c: Listed) => c.email)], query).toEqual([1, ["ada@one.example"]]);
    }
  });
});

describe("the contact list's query plans", () => {
  const plan = async (statement: { toSQL(): { sql: string; params: unknown[] } }) => {
    const { sql, params } = statement.toSQL();
    const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
      .bind(...params)
      .all<{ detail: string }>();
    return results.map((r) => r.detail);
  };
  const statements = (query: Partial<ContactQuery>) => contactListStatements(drizzle(env.DB), "org_plan", { limit: 50, ...query });

  it("never scan the contacts table nor read tags as JSON", async () => {
    for (const query of [
      {},
      { q: "lo" },
      { q: "lovelace" },
      { group: "grp_1" },
      { tag: "north" },
      { type: "mentor", status: "active" as const },
      { group: "grp_1", tag: "north", q: "ada" },
    ]) {
      const lines = await plan(statements(query).page);
      expect(
        lines.filter((l) => /^SCAN contacts\b|json_each/.test(l)),
        JSON.stringify(query),
      ).toEqual([]);
    }
  });

  it("count from the smallest set: a group's members, the trigram index, a tag's rows, else a covering index", async () => {
    expect((await plan(statements({ group: "grp_1", tag: "north", q: "lovelace" }).count))[0]).toMatch(/^SEARCH group_members /);
    expect((await plan(statements({ q: "lovelace", tag: "north" }).count))[0]).toMatch(/^SCAN contact_search VIRTUAL TABLE/);
    expect((await plan(statements({ tag: "north", q: "lo" }).count))[0]).toMatch(/^SEARCH contact_tags /);
    for (const query of [{}, { q: "lo" }, { type: "mentor" }, { status: "deactivated" as const }])
      expect(await plan(statements(query).count), JSON.stringify(query)).toEqual([
        expect.stringMatching(/^SEARCH contacts USING COVERING INDEX contacts_org_filter \(org_id=\? AND erased_at=\?/),
      ]);
  });

  it("walk the org's contacts for a page through contacts_org_list, in its name order", async () => {
    for (const query of [{}, { q: "lo" }, { tag: "north" }, { type: "mentor", q: "lovelace" }, { group: "grp_1" }]) {
      const lines = await plan(statements(query).page);
      expect(lines, JSON.stringify(query)).toContain("SEARCH contacts USING COVERING INDEX contacts_org_list (org_id=? AND erased_at=?)");
    }
  });

  it("answer a page and its count in one statement, which reads only the way its count chose", async () => {
    const { key } = await newOrg();
    await importPeople(
      key,
      Array.from({ length: 30 }, (_, i) => ({
        email: `p${i}@example.org`,
        firstName: "P",
        lastName: `Person ${i}`,
        type: "member",
        tags: i < 3 ? ["few"] : [],
        groups: [],
      })),
    );
    const orgId = (await api("GET", "/v1/org", { key })).body.id;
    const page = (query: Partial<ContactQuery>) => contactListStatements(drizzle(env.DB), orgId, { limit: 2, ...query }).page;
    // The walk, had it run, would have read all 30 contacts of the org (none has the tag "none").
    const rowsRead = async (query: Partial<ContactQuery>) => {
      const { sql, params } = page(query).toSQL();
      const result = await env.DB.prepare(sql)
        .bind(...params)
        .all();
      return { rows: result.results.length, read: result.meta.rows_read };
    };
    const few = await rowsRead({ tag: "few" });
    expect(few.rows).toBe(3);
    const none = await rowsRead({ tag: "none" });
    expect(none.rows).toBe(1); // the count's row, with no contact
    expect(none.read).toBeLessThan(30);
  });
});
