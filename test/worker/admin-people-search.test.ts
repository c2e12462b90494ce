// The new-session form's "Find someone in your people" (seed 001: "if you want to invite specific
// people, start typing the members' names"): the hidden combobox the admin's script shows, and the
// matches it asks /admin/sessions/new/people for. The browser side runs in test/e2e/admin.e2e.mjs.

import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { browse, followLink, linkFor, signedInOwner, submit, uniqueEmail } from "./admin-helpers";
import { api } from "./helpers";

const PEOPLE = "/admin/sessions/new/people";

async function ownerWithPeople() {
  const org = await signedInOwner("Forest Camp");
  const created = await api("POST", "/v1/contacts", {
    key: org.key,
    body: { recipients: 'Ada Lovelace <ada@example.org>, "Adam <b>Smith</b>" <adam@example.org>, grace@example.org' },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return org;
}

const options = (html: string) => [...html.matchAll(/<div role="option"[^>]*data-recipient="([^"]*)"/g)].map((m) => m[1]);

describe("the new-session form's search of the org's people", () => {
  it("is on the form, hidden until the script shows it, labelled, described and pointing at the invite field", async () => {
    const { owner } = await signedInOwner();
    const form = await browse("GET", "/admin/sessions/new", { cookie: owner.cookie });
    expect(form.text).toMatch(
      /<div class="field people-search" data-people-search="\/admin\/sessions\/new\/people" data-into="invite"[^>]* hidden="">/,
    );
    expect(form.text).toContain('<label for="people">Find someone in your people</label>');
    expect(form.text).toMatch(
      /<input id="people" type="search" role="combobox"[^>]*aria-autocomplete="list" aria-expanded="false" aria-controls="people-options" aria-describedby="people-hint"/,
    );
    expect(form.text).toContain('<div id="people-options" role="listbox" aria-label="Find someone in your people" hidden=""></div>');
    expect(form.text).toContain('data-added="{name} is added to the people to invite."');
    // The field it fills is the form's own, so a form without the script works as before.
    expect(form.text).toContain('<textarea id="invite" name="invite"');
    const french = await browse("GET", "/admin/sessions/new", { cookie: owner.cookie, headers: { "accept-language": "fr" } });
    expect(french.text).toContain('<label for="people">Trouver quelqu’un parmi vos contacts</label>');
    expect(french.text).toContain('data-already="{name} est déjà dans la liste."');
  });

  it("answers the org's active people with an address whose name or address matches, each with the line the invite field takes", async () => {
    const org = await ownerWithPeople();
    const found = await browse("GET", `${PEOPLE}?q=lovelace`, { cookie: org.owner.cookie });
    expect(found.status).toBe(200);
    expect(options(found.text)).toEqual(["&quot;Ada Lovelace&quot; &lt;ada@example.org&gt;"]);
    expect(found.text).toMatch(
      /<div role="option" tabIndex="-1" id="person-con_[0-9a-z]{20}" aria-selected="false"[^>]*data-email="ada@example.org" data-label="Ada Lovelace">/,
    );
    expect(found.text).toContain('<p id="people-status">1 person matches.</p>');

    // A name is escaped where it is rendered: its markup is text, here and in the line it carries.
    const adam = await browse("GET", `${PEOPLE}?q=smith`, { cookie: org.owner.cookie });
    expect(adam.text).not.toContain("<b>");
    expect(adam.text).toContain("Adam &lt;b&gt;Smith&lt;/b&gt;");

    // By address, accents and case aside; someone with no name is shown by their address.
    const grace = await browse("GET", `${PEOPLE}?q=GRACE`, { cookie: org.owner.cookie });
    expect(options(grace.text)).toEqual(["grace@example.org"]);

    const none = await browse("GET", `${PEOPLE}?q=zelda`, { cookie: org.owner.cookie });
    expect(options(none.text)).toEqual([]);
    expect(none.text).toContain("No one with an email address in your people matches “zelda”, and no group either.");
    const french = await browse("GET", `${PEOPLE}?q=a`, { cookie: org.owner.cookie, headers: { "accept-language": "fr" } });
    expect(french.text).toContain("3 personnes correspondent.");
    expect((await browse("GET", PEOPLE, { cookie: org.owner.cookie })).text).toContain('<p id="people-status"></p>');
  });

  it("leaves out people deactivated, without an address, and of another org", async () => {
    const org = await ownerWithPeople();
    const other = await ownerWithPeople();
    await env.DB.prepare("UPDATE contacts SET status = 'deactivated' WHERE org_id = ? AND email = 'grace@example.org'")
      .bind(org.orgId)
      .run();
    const phoneOnly = await api("POST", "/v1/contacts", {
      key: org.key,
      body: { firstName: "Adele", lastName: "Phone", phone: "+33612345678", channel: "sms" },
    });
    expect(phoneOnly.status, JSON.stringify(phoneOnly.body)).toBe(201);
    const found = await browse("GET", `${PEOPLE}?q=a`, { cookie: org.owner.cookie });
    expect(options(found.text).sort()).toEqual([
      "&quot;Ada Lovelace&quot; &lt;ada@example.org&gt;",
      "&quot;Adam &lt;b&gt;Smith&lt;/b&gt;&quot; &lt;adam@example.org&gt;",
    ]);
    expect(found.text).not.toContain("Adele");
    // The other org's identical people are theirs: its own ids, none of ours.
    const theirs = await browse("GET", `${PEOPLE}?q=a`, { cookie: other.owner.cookie });
    expect(options(theirs.text)).toHaveLength(3);
    const ours = /id="(person-con_[0-9a-z]{20})"/.exec(found.text)![1]!;
    expect(theirs.text).not.toContain(ours);
  });

  it('offers the groups whose name holds the words, each carrying the lines of its active people with an address (seed 001: "all members of a cohort")', async () => {
    const org = await ownerWithPeople();
    const people = (await api("GET", "/v1/contacts", { key: org.key })).body.contacts as { id: string; email: string }[];
    const idOf = (email: string) => people.find((p) => p.email === email)!.id;
    const phoneOnly = await api("POST", "/v1/contacts", {
      key: org.key,
      body: { firstName: "Adele", lastName: "Phone", phone: "+33612345678", channel: "sms" },
    });
    const juniors = (await api("POST", "/v1/groups", { key: org.key, body: { name: "Juniors <1>" } })).body;
    const empty = (await api("POST", "/v1/groups", { key: org.key, body: { name: "Juniors without email" } })).body;
    await api("POST", `/v1/groups/${juniors.id}/members`, {
      key: org.key,
      body: { contactIds: [idOf("ada@example.org"), idOf("grace@example.org"), idOf("adam@example.org"), phoneOnly.body.id] },
    });
    await api("POST", `/v1/groups/${empty.id}/members`, { key: org.key, body: { contactIds: [phoneOnly.body.id] } });
    await env.DB.prepare("UPDATE contacts SET status = 'deactivated' WHERE org_id = ? AND email = 'adam@example.org'")
      .bind(org.orgId)
      .run();
    // Another org's group of the same name is theirs.
    const other = await signedInOwner("Other camp");
    await api("POST", "/v1/groups", { key: other.key, body: { name: "Juniors" } });

    const found = await browse("GET", `${PEOPLE}?q=JUNIOR`, { cookie: org.owner.cookie });
    expect(found.status).toBe(200);
    const [lines] = options(found.text).map((o) => o!.split("\n"));
    expect([...lines!].sort()).toEqual(["&quot;Ada Lovelace&quot; &lt;ada@example.org&gt;", "grace@example.org"]);
    // Its addresses in the order of its lines (the script adds the lines whose address is not listed yet).
    const emails = /data-group="" data-recipient="[^"]*" data-email="([^"]*)"/.exec(found.text)![1]!.split(" ");
    expect(emails).toEqual(lines!.map((line) => /([a-z]+@example\.org)/.exec(line)![1]));
    expect(found.text).toMatch(
      new RegExp(
        `<div role="option" tabIndex="-1" id="group-${juniors.id}" aria-selected="false" data-group="" data-recipient="[^"]*" data-email="[^"]*" data-label="Juniors &lt;1&gt;">Group: Juniors &lt;1&gt;<span class="hint"> 2 people with an email address</span></div>`,
      ),
    );
    expect(found.text).toContain('<p id="people-status">1 group matches.</p>');
    // Before the people whose name matches too.
    const both = await browse("GET", `${PEOPLE}?q=r`, { cookie: org.owner.cookie });
    expect(both.text.indexOf(`id="group-${juniors.id}"`)).toBeLessThan(both.text.indexOf('id="person-'));
    expect(both.text).toContain("1 group matches. 2 people match.");
    const french = await browse("GET", `${PEOPLE}?q=junior`, { cookie: org.owner.cookie, headers: { "accept-language": "fr" } });
    expect(french.text).toContain('Groupe : Juniors &lt;1&gt;<span class="hint"> 2 personnes avec une adresse e-mail</span>');
    expect(french.text).toContain("1 groupe correspond.");
    const form = await browse("GET", "/admin/sessions/new", { cookie: org.owner.cookie });
    expect(form.text).toContain('data-group-added="Group {name}: added to the people to invite, {added}; already on the list, {already}."');
  });

  it("offers eight at a time and says there are more", async () => {
    const org = await signedInOwner();
    const recipients = Array.from({ length: 10 }, (_, i) => `Camper ${i} <camper-${i}@example.org>`).join(", ");
    expect((await api("POST", "/v1/contacts", { key: org.key, body: { recipients } })).status).toBe(201);
    const found = await browse("GET", `${PEOPLE}?q=camper`, { cookie: org.owner.cookie });
    expect(options(found.text)).toHaveLength(8);
    expect(found.text).toContain("More than 8 people match: the first 8 are shown. Type more of the name to find someone else.");
  });

  it("finds someone with an address among many more reachable by SMS only, in a name and in a group", async () => {
    const org = await signedInOwner();
    // 201 campers with a phone and no address come first in name order (more than a group's choice
    // takes); one with an address comes last.
    const rows = Array.from(
      { length: 201 },
      (_, i) => `Aaron ${String(i).padStart(3, "0")},Camper,+33612${String(i).padStart(6, "0")},,Cabin B`,
    );
    const csv = `firstName,lastName,phone,email,groups\n${rows.join("\n")}\nZoe,Camper,,zoe@example.org,Cabin B\n`;
    const imported = await api("POST", "/v1/contacts/import", { key: org.key, body: { csv, dryRun: false, defaultCountry: "FR" } });
    expect(imported.status, JSON.stringify(imported.body).slice(0, 300)).toBe(200);
    const found = await browse("GET", `${PEOPLE}?q=camper`, { cookie: org.owner.cookie });
    expect(options(found.text)).toEqual(["&quot;Zoe Camper&quot; &lt;zoe@example.org&gt;"]);
    expect(found.text).toContain('<p id="people-status">1 person matches.</p>');
    // The group's choice carries her too, though its first 200 members by name have no address.
    const cabin = await browse("GET", `${PEOPLE}?q=cabin`, { cookie: org.owner.cookie });
    expect(/data-group="" data-recipient="[^"]*" data-email="([^"]*)"/.exec(cabin.text)?.[1]).toBe("zoe@example.org");
  });

  it("is not offered to a host whose org does not let hosts invite, who is refused the matches too", async () => {
    const org = await ownerWithPeople();
    expect((await api("PATCH", "/v1/org", { key: org.key, body: { settings: { hostsCanCreateSessions: true } } })).status).toBe(200);
    const email = uniqueEmail("mentor");
    expect((await submit(org.owner, "/admin/members", { email, role: "host" })).status).toBe(303);
    const host = await followLink(linkFor(org.mail, email));
    const form = await browse("GET", "/admin/sessions/new", { cookie: host.cookie });
    expect(form.status).toBe(200);
    expect(form.text).not.toContain("data-people-search");
    const refused = await browse("GET", `${PEOPLE}?q=ada`, { cookie: host.cookie });
    expect(refused.status).toBe(403);
    expect(refused.text).not.toContain("ada@example.org");

    // Once hosts may invite, they find the org's people as the invite modal's picker does.
    expect((await api("PATCH", "/v1/org", { key: org.key, body: { settings: { hostsCanInvite: true } } })).status).toBe(200);
    expect((await browse("GET", "/admin/sessions/new", { cookie: host.cookie })).text).toContain("data-people-search");
    expect(options((await browse("GET", `${PEOPLE}?q=lovelace`, { cookie: host.cookie })).text)).toHaveLength(1);
  });

  it("sends a stranger to sign in and tells them nothing", async () => {
    await ownerWithPeople();
    const res = await browse("GET", `${PEOPLE}?q=ada`);
    expect(res.status).toBe(303);
    expect(res.location).toMatch(/^\/admin\/sign-in/);
    expect(res.text).not.toContain("ada@example.org");
  });
});
