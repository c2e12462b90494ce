// The directory in the hosted admin: contacts listed and filtered, added by paste, selected and
// added to a group; one contact edited, deactivated and erased (after a confirmation); the CSV
// import checked and then applied; groups created and deleted (after a confirmation).
import { afterEach, describe, expect, it, vi } from "vitest";
import googleEn from "../fixtures/contacts-google-en.csv?raw";
import { browse, signedInOwner, submit } from "./admin-helpers";
import { api, newSession } from "./helpers";

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

  // The invitation dialog (widget/invite) calls the same choice Keep as “to send”, Garder « à envoyer ».
  it("names the option to keep invitations unsent as the invitation dialog does", async () => {
    const { key, owner } = await signedInOwner();
    await newSession(key);
    await api("POST", "/v1/contacts", { key, body: { email: "ada@example.org" } });
    const en = await browse("GET", "/admin/contacts", { cookie: owner.cookie });
    expect(en.text).toContain('<label for="send-later">Keep as “to send” (send them later from the session&#39;s roster)</label>');
    const fr = await browse("GET", "/admin/contacts", { cookie: owner.cookie, headers: { "accept-language": "fr" } });
    expect(fr.text).toContain(
      '<label for="send-later">Garder «\u00a0à envoyer\u00a0» (à envoyer plus tard depuis la liste de la séance)</label>',
    );
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
    // The phone's hint asks as the person's own page does, with no one country's number for an example.
    const page = (await browse("GET", `/admin/contacts/${contact.id}`, { cookie: owner.cookie })).text;
    expect(page).toContain("In international format: + and the country code, then the number.");
    expect(page).not.toContain("+33");
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
    expect(bad.text).toContain("Start with + and the country code");

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

  it("refuses what the API refuses, saying why in the admin's language, and saves nothing", async () => {
    const { key, owner } = await signedInOwner("Camp des Érables");
    const contact = (await api("POST", "/v1/contacts", { key, body: { email: "helene@example.org", firstName: "Hélène" } })).body;
    const fr = { "accept-language": "fr" };
    const form = { firstName: "Hélène", lastName: "", email: "helene@example.org", phone: "", channel: "email", type: "membre" };
    const bad = await submit(
      owner,
      `/admin/contacts/${contact.id}`,
      { ...form, tags: "soir|nord", deactivateAt: "demain", phone: "06 12" },
      fr,
    );
    expect(bad.status).toBe(422);
    expect(bad.text).toContain("Retirez le | : il sépare les valeurs dans les fichiers CSV.");
    expect(bad.text).toContain("Écrivez une date sous la forme 2027-06-30.");
    expect(bad.text).not.toContain("must ");
    // Every field to fix at once (the phone's rule runs on the fields that passed), and what was typed stays in the form.
    expect(bad.text).toContain("Commencez par + et l’indicatif du pays");
    expect(bad.text).toMatch(/name="tags"[^>]*value="soir\|nord"/);
    expect(bad.text).toMatch(/name="phone"[^>]*value="06 12"/);
    // A summary on top links each field to fix, with French's space before the colon.
    expect(bad.text).toContain("Certains champs sont à corriger.");
    expect(bad.text).toContain('<a href="#tags">Étiquettes</a>\u00a0: Retirez le |');
    // In the form's order: the phone (the rule across fields) before the tags (the schema's).
    expect(bad.text.indexOf('<a href="#phone">')).toBeLessThan(bad.text.indexOf('<a href="#tags">'));
    expect((await api("GET", `/v1/contacts/${contact.id}`, { key })).body).toMatchObject({ tags: [], deactivateAt: null });
    // The rules across fields (the service's) are in French too.
    const phone = await submit(owner, `/admin/contacts/${contact.id}`, { ...form, phone: "06 12 34 56 78" }, fr);
    expect(phone.text).toContain("Commencez par + et l’indicatif du pays, par exemple +33 6 12 34 56 78.");
    const sms = await submit(owner, `/admin/contacts/${contact.id}`, { ...form, channel: "sms" }, fr);
    expect(sms.text).toContain("Nécessaire pour joindre la personne par SMS.");
    const taken = (await api("POST", "/v1/contacts", { key, body: { email: "anne@example.org" } })).body;
    expect(taken.id).toBeTruthy();
    const exists = await submit(owner, `/admin/contacts/${contact.id}`, { ...form, email: "ANNE@example.org" }, fr);
    expect(exists.status).toBe(409);
    expect(exists.text).toContain("Un autre contact a déjà cette adresse e-mail.");
  });

  it("names a paste's problems in the admin's language", async () => {
    const { owner } = await signedInOwner("Camp des Érables");
    const fr = { "accept-language": "fr" };
    const invalid = await submit(owner, "/admin/contacts", { recipients: "ada@example.org, nope", groupId: "" }, fr);
    expect(invalid.text).toContain("Adresses e-mail non valides : nope. Corrigez-les ou retirez-les ; rien n’a été ajouté.");
    const none = await submit(owner, "/admin/contacts", { recipients: ", ;", groupId: "" }, fr);
    expect(none.text).toContain("Collez au moins une adresse.");
    const many = Array.from({ length: 201 }, (_, i) => `p${i}@example.org`).join("\n");
    const tooMany = await submit(owner, "/admin/contacts", { recipients: many, groupId: "" }, fr);
    expect(tooMany.text).toContain("200 adresses au plus à la fois : ce collage en contient 201.");
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
    expect(checked.text).toContain("Email: also on line 2; keep one row per person.");
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

  it("fills in only what existing contacts lack when ticked, from the check to the import", async () => {
    const { key, owner } = await signedInOwner();
    const ada = (await api("POST", "/v1/contacts", { key, body: { email: "ada@example.org", firstName: "Ada" } })).body;
    const csv = "email,firstName,lastName\nada@example.org,Augusta,Lovelace\n";
    const checked = await submit(owner, "/admin/contacts/import", { csv, country: "", onlyEmpty: "on" });
    expect(checked.text).toContain("0 to create, 1 to update, 0 unchanged, 0 with errors.");
    expect(checked.text).toMatch(/<td data-label="Details">Last name<\/td>/);
    expect(checked.text).toContain('<input type="hidden" name="onlyEmpty" value="on"/>');
    const applied = await submit(owner, "/admin/contacts/import", { csv, country: "", onlyEmpty: "on", apply: "1" });
    expect(applied.status).toBe(303);
    expect((await api("GET", `/v1/contacts/${ada.id}`, { key })).body).toMatchObject({ firstName: "Ada", lastName: "Lovelace" });
  });

  it("says what is wrong with a file and with each row in the admin's language", async () => {
    const { owner } = await signedInOwner("Camp des Érables");
    const fr = { "accept-language": "fr" };
    const checked = await submit(owner, "/admin/contacts/import", { csv: googleEn, country: "" }, fr);
    expect(checked.status).toBe(200);
    expect(checked.text).toContain("Téléphone (phone)\u00a0: commencez par + et l’indicatif du pays, par exemple +33 6 12 34 56 78.");
    expect(checked.text).toContain("E-mail (email)\u00a0: aussi à la ligne 2 ; gardez une ligne par personne.");
    expect(checked.text).toContain("E-mail (email)\u00a0: adresse non valide (il manque le @).");
    expect(checked.text).toContain("choisissez leur pays ci-dessous");
    expect(checked.text).not.toMatch(/must start|is also on line|is not a valid/);
    const unknown = await submit(owner, "/admin/contacts/import", { csv: "email,pointure\na@example.org,42\n" }, fr);
    expect(unknown.status).toBe(422);
    expect(unknown.text).toContain("Colonne inconnue : pointure. Nommez les colonnes comme dans le modèle : email, firstName");
    const broken = await submit(owner, "/admin/contacts/import", { csv: 'email,firstName\na@example.org,"Ada\n' }, fr);
    expect(broken.text).toContain("Le fichier n’est pas un CSV valide : à la ligne 2, une cellule entre guillemets n’est jamais fermée.");
  });
});

describe("/admin/groups", () => {
  it("creates a group, refuses the same name, and deletes it after a confirmation naming it", async () => {
    const { key, owner } = await signedInOwner();
    expect((await submit(owner, "/admin/groups", { name: "Cohort A" })).status).toBe(303);
    const again = await submit(owner, "/admin/groups", { name: "cohort a" });
    expect(again.status).toBe(409);
    expect(again.text).toContain("A group already has this name.");
    // What the API refuses, the admin refuses: a control character, a |, nothing at all.
    for (const name of ["Bell\u0007", "A|B", "   "]) {
      const refused = await submit(owner, "/admin/groups", { name });
      expect(refused.status, JSON.stringify(name)).toBe(422);
      expect(refused.text).toContain("Give a name of at most 100 characters, on one line, without |.");
    }
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
