// The directory in the hosted admin: contacts listed and filtered, added by paste, selected and
// added to a group; one contact edited, deactivated and erased (after a confirmation); the CSV
// import checked and then applied; groups created and deleted (after a confirmation).
import { afterEach, describe, expect, it, vi } from "vitest";
import googleEn from "../fixtures/contacts-google-en.csv?raw";
import { browse, signedInOwner, submit } from "./admin-helpers";
import { api } from "./helpers";

afterEach(() => vi.restoreAllMocks());

describe("/admin/contacts", () => {
  it("adds pasted people, lists and filters them, and adds the selected ones to a group", async () => {
    const { key, owner } = await signedInOwner("Forest Camp");
    const added = await submit(owner, "/admin/contacts", {
      recipients: "Ada Lovelace <ada@example.org>\nGrace Hopper <grace@example.org>",
      groupId: "",
    });
    expect(added.status).toBe(303);
    const page = await browse("GET", added.location!, { cookie: owner.cookie });
    expect(page.text).toContain("2 contacts added.");
    expect(page.text).toContain("Ada Lovelace");
    expect(page.text).toContain('aria-current="page">Contacts');

    const group = (await api("POST", "/v1/groups", { key, body: { name: "Cohort A" } })).body;
    const ada = (await api("GET", "/v1/contacts?q=ada", { key })).body.contacts[0];
    const bulk = await browse("POST", "/admin/contacts/bulk", {
      cookie: owner.cookie,
      form: { _csrf: owner.csrf, contactIds: ada.id, action: "add", groupId: group.id },
    });
    expect(bulk.status).toBe(303);
    const filtered = await browse("GET", `/admin/contacts?group=${group.id}`, { cookie: owner.cookie });
    expect(filtered.text).toContain("Ada Lovelace");
    expect(filtered.text).not.toContain("Grace Hopper");
  });

  it("names the invalid addresses of a paste and adds nobody", async () => {
    const { key, owner } = await signedInOwner();
    const res = await submit(owner, "/admin/contacts", { recipients: "ada@example.org, nope", groupId: "" });
    expect(res.status).toBe(422);
    expect(res.text).toContain("nope");
    expect(res.text).toContain('aria-invalid="true"');
    expect((await api("GET", "/v1/contacts", { key })).body.total).toBe(0);
  });

  it("edits a contact, deactivates it, and erases it only after a confirmation page", async () => {
    const { key, owner } = await signedInOwner();
    const contact = (await api("POST", "/v1/contacts", { key, body: { email: "ada@example.org", firstName: "Ada" } })).body;
    const form = {
      firstName: "Ada",
      lastName: "Lovelace",
      email: "ada@example.org",
      phone: "+33 6 12 34 56 78",
      channel: "sms",
      type: "mentor",
    };
    expect((await submit(owner, `/admin/contacts/${contact.id}`, form)).status).toBe(303);
    expect((await api("GET", `/v1/contacts/${contact.id}`, { key })).body).toMatchObject({
      lastName: "Lovelace",
      phone: "+33612345678",
      channel: "sms",
    });
    const bad = await submit(owner, `/admin/contacts/${contact.id}`, { ...form, phone: "12" });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain("must start with + and the country code");

    expect((await submit(owner, `/admin/contacts/${contact.id}/status`, { status: "deactivated" })).status).toBe(303);
    expect((await api("GET", `/v1/contacts/${contact.id}`, { key })).body.status).toBe("deactivated");

    const confirm = await browse("GET", `/admin/contacts/${contact.id}/erase`, { cookie: owner.cookie });
    expect(confirm.text).toContain("Erase Ada Lovelace?");
    expect((await api("GET", `/v1/contacts/${contact.id}`, { key })).status).toBe(200);
    expect((await submit(owner, `/admin/contacts/${contact.id}/erase`)).status).toBe(303);
    expect((await api("GET", `/v1/contacts/${contact.id}`, { key })).status).toBe(404);
  });

  it("shows the default type in the admin's language and keeps it stored as the API's word", async () => {
    const { key, owner } = await signedInOwner("Camp des Érables");
    const contact = (await api("POST", "/v1/contacts", { key, body: { email: "helene@example.org", firstName: "Hélène" } })).body;
    expect(contact.type).toBe("member");
    const fr = { "accept-language": "fr" };
    const list = await browse("GET", "/admin/contacts", { cookie: owner.cookie, headers: fr });
    expect(list.text).toContain('<td class="words" data-label="Type">membre</td>');
    expect(list.text).not.toContain(">member<");
    const page = await browse("GET", `/admin/contacts/${contact.id}`, { cookie: owner.cookie, headers: fr });
    expect(page.text).toMatch(/name="type"[^>]*value="membre"/);
    // Someone the provider typed "membre" themselves (an import, the API) stays "membre".
    const typed = (await api("POST", "/v1/contacts", { key, body: { email: "anne@example.org", firstName: "Anne", type: "membre" } })).body;
    await api("POST", "/v1/contacts", { key, body: { email: "paul@example.org", firstName: "Paul", type: "mentor" } });
    // Filtering on the word shown finds both, and nobody else.
    const filtered = await browse("GET", "/admin/contacts?type=membre", { cookie: owner.cookie, headers: fr });
    expect(filtered.text).toContain("Hélène");
    expect(filtered.text).toContain("Anne");
    expect(filtered.text).not.toContain("Paul");
    // A form sent back with the type as shown leaves the stored one alone; another word replaces it.
    const form = { firstName: "Hélène", lastName: "", email: "helene@example.org", phone: "", channel: "email", type: "membre" };
    expect((await submit(owner, `/admin/contacts/${contact.id}`, form, fr)).status).toBe(303);
    expect((await api("GET", `/v1/contacts/${contact.id}`, { key })).body.type).toBe("member");
    const anne = { firstName: "Anne", lastName: "", email: "anne@example.org", phone: "", channel: "email", type: "membre" };
    expect((await submit(owner, `/admin/contacts/${typed.id}`, anne, fr)).status).toBe(303);
    expect((await api("GET", `/v1/contacts/${typed.id}`, { key })).body.type).toBe("membre");
    expect((await submit(owner, `/admin/contacts/${contact.id}`, { ...form, type: "monitrice" }, fr)).status).toBe(303);
    expect((await api("GET", `/v1/contacts/${contact.id}`, { key })).body.type).toBe("monitrice");
    // In English the word is the stored one.
    const english = await browse("GET", "/admin/contacts", { cookie: owner.cookie });
    expect(english.text).toContain('<td class="words" data-label="Type">monitrice</td>');
  });

  it("does not show another org's contact", async () => {
    const { owner } = await signedInOwner();
    const other = await signedInOwner("Other camp");
    const theirs = (await api("POST", "/v1/contacts", { key: other.key, body: { email: "theirs@example.org" } })).body;
    expect((await browse("GET", `/admin/contacts/${theirs.id}`, { cookie: owner.cookie })).status).toBe(404);
    expect((await submit(owner, `/admin/contacts/${theirs.id}/erase`)).status).toBe(404);
  });
});

describe("/admin/contacts/import", () => {
  it("checks a file row by row (errors marked), imports nothing while a row is in error, then imports a clean file", async () => {
    const { key, owner } = await signedInOwner();
    const checked = await submit(owner, "/admin/contacts/import", { csv: googleEn, country: "US" });
    expect(checked.status).toBe(200);
    expect(checked.text).toContain("1 to create, 0 to update, 0 unchanged, 2 with errors.");
    expect(checked.text).toContain('class="error-row"');
    expect(checked.text).toContain("is also on line 2");
    expect(checked.text).not.toContain('name="apply"');

    const clean = "email,firstName,phone\nsam.lee@example.org,Sam,(415) 555-0123\n";
    const check = await submit(owner, "/admin/contacts/import", { csv: clean, country: "US" });
    expect(check.text).toContain("Import 1 contact");
    expect((await api("GET", "/v1/contacts", { key })).body.total).toBe(0);
    const applied = await submit(owner, "/admin/contacts/import", { csv: clean, country: "US", apply: "1" });
    expect(applied.status).toBe(303);
    expect((await browse("GET", applied.location!, { cookie: owner.cookie })).text).toContain("Imported: 1 created, 0 updated.");
    expect((await api("GET", "/v1/contacts", { key })).body.contacts[0]).toMatchObject({ phone: "+14155550123" });
  });
});

describe("/admin/groups", () => {
  it("creates a group, refuses the same name, and deletes it after a confirmation naming it", async () => {
    const { key, owner } = await signedInOwner();
    expect((await submit(owner, "/admin/groups", { name: "Cohort A" })).status).toBe(303);
    const again = await submit(owner, "/admin/groups", { name: "cohort a" });
    expect(again.status).toBe(409);
    expect(again.text).toContain("A group already has this name.");
    const group = (await api("GET", "/v1/groups", { key })).body.groups[0];
    const csv = await browse("GET", "/admin/groups.csv", { cookie: owner.cookie });
    expect(csv.text).toContain(`${group.id},Cohort A,0`);
    expect((await browse("GET", `/admin/groups/${group.id}/delete`, { cookie: owner.cookie })).text).toContain(
      "Delete the group Cohort A?",
    );
    expect((await submit(owner, `/admin/groups/${group.id}/delete`)).status).toBe(303);
    expect((await api("GET", "/v1/groups", { key })).body.groups).toEqual([]);
  });
});
