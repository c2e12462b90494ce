// The hosted admin's pages: sessions (list, create, edit, cancel, one session with its roster),
// API keys, settings, and the widget token behind the admin elements.

import { env } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { TOKEN_REQUEST_HEADER } from "../../worker/auth/token-request";
import { verifyWidgetToken } from "../../worker/auth/widget-tokens";
import { signingKeys } from "../../worker/ids/signing-keys";
import { browse, keyMadeBy, signedInOwner, submit } from "./admin-helpers";
import { api, hoursFromNow, ledger, newSession, person, register, registered } from "./helpers";

afterEach(() => vi.restoreAllMocks());

const sessionForm = (overrides: Record<string, string> = {}) => ({
  title: "Forest camp — week 1",
  description: "Five mornings in the woods.",
  startsAtLocal: "2031-07-05T09:00",
  timeZone: "Europe/Paris",
  durationMinutes: "180",
  minParticipants: "4",
  maxParticipants: "12",
  waitlist: "on",
  registrationOpensAtLocal: "",
  registrationClosesAtLocal: "",
  registrationCode: "",
  ...overrides,
});

/** Every form control with an id has a label pointing at it. */
function expectLabelled(html: string) {
  const ids = [...html.matchAll(/<(?:input|select|textarea|meter)\b[^>]*\bid="([^"]+)"/g)].map((m) => m[1]!);
  const hidden = [...html.matchAll(/<input\b[^>]*type="hidden"[^>]*>/g)].length;
  expect(ids.length + hidden).toBeGreaterThan(0);
  for (const id of ids) expect(html, `label for ${id}`).toContain(`for="${id}"`);
}

describe("GET /admin/sessions", () => {
  it("lists upcoming and past sessions with seats filling and the distance to the minimum", async () => {
    const { owner, key } = await signedInOwner();
    const soon = await newSession(key, { title: "Soon <b>camp</b>", minParticipants: 3, maxParticipants: 10 });
    await register(soon.id, person(1));
    await ledger(soon.id).drain(); // the list reads the D1 copy, which follows the ledger a moment later
    const past = await newSession(key, {
      title: "Last year",
      startsAt: hoursFromNow(-24 * 30),
      registrationClosesAt: hoursFromNow(-24 * 31),
      durationMinutes: 60,
    });
    const upcoming = await browse("GET", "/admin/sessions", { cookie: owner.cookie });
    expect(upcoming.status).toBe(200);
    expect(upcoming.text).toContain("Soon &lt;b&gt;camp&lt;/b&gt;");
    expect(upcoming.text).not.toContain("<b>camp</b>");
    expect(upcoming.text).toContain(`href="/admin/sessions/${soon.id}"`);
    expect(upcoming.text).not.toContain(past.id);
    expect(upcoming.text).toMatch(/<meter [^>]*max="10" value="1"/);
    expect(upcoming.text).toContain("1 of 10 seats taken");
    expect(upcoming.text).toContain("2 more needed to reach the minimum of 3");
    expectLabelled(upcoming.text);
    const pastPage = await browse("GET", "/admin/sessions?when=past", { cookie: owner.cookie });
    expect(pastPage.text).toContain("Last year");
    expect(pastPage.text).not.toContain(soon.id);
  });

  it("counts by each language's plural rules", async () => {
    const { owner, key } = await signedInOwner();
    const one = await newSession(key, { title: "Private lesson", minParticipants: 1, maxParticipants: 1 });
    await register(one.id, person(1));
    await ledger(one.id).drain();
    const english = await browse("GET", "/admin/sessions", { cookie: owner.cookie });
    expect(english.text).toContain("1 of 1 seat taken");
    const french = await browse("GET", "/admin/sessions", { cookie: owner.cookie, headers: { "accept-language": "fr" } });
    expect(french.text).toContain("1 place prise sur 1");
  });

  it("shows only the signed-in member's organisation", async () => {
    const { owner } = await signedInOwner();
    const other = await signedInOwner("Other camp");
    const theirs = await newSession(other.key, { title: "Their session" });
    const page = await browse("GET", "/admin/sessions", { cookie: owner.cookie });
    expect(page.text).not.toContain(theirs.id);
    expect((await browse("GET", `/admin/sessions/${theirs.id}`, { cookie: owner.cookie })).status).toBe(404);
    expect((await browse("GET", `/admin/sessions/${theirs.id}/edit`, { cookie: owner.cookie })).status).toBe(404);
    expect((await submit(owner, `/admin/sessions/${theirs.id}/cancel`)).status).toBe(404);
    expect((await api("GET", `/v1/sessions/${theirs.id}`, { key: other.key })).body.status).toBe("scheduled");
  });

  it("speaks French from Accept-Language, or from the org's default language", async () => {
    const { owner, key } = await signedInOwner();
    const french = await browse("GET", "/admin/sessions", { cookie: owner.cookie, headers: { "accept-language": "fr-CA,fr;q=0.9" } });
    expect(french.text).toContain('<html lang="fr">');
    expect(french.text).toContain("Nouvelle séance");
    await api("PATCH", "/v1/org", { key, body: { settings: { defaultLocale: "fr" } } });
    const german = await browse("GET", "/admin/sessions", { cookie: owner.cookie, headers: { "accept-language": "de-DE,de;q=0.9" } });
    expect(german.text).toContain('<html lang="fr">');
    const english = await browse("GET", "/admin/sessions", { cookie: owner.cookie, headers: { "accept-language": "en-GB,en;q=0.9" } });
    expect(english.text).toContain('<html lang="en">');
  });
});

describe("creating and editing a session", () => {
  it("creates a session from the form, placing its wall-clock times in the chosen zone", async () => {
    const { owner, key } = await signedInOwner();
    const form = await browse("GET", "/admin/sessions/new", { cookie: owner.cookie });
    expect(form.status).toBe(200);
    expectLabelled(form.text);
    expect(form.text).toContain('type="datetime-local"');
    expect(form.text).toContain('<option value="America/New_York"');
    const created = await submit(
      owner,
      "/admin/sessions",
      sessionForm({
        registrationOpensAtLocal: "2031-06-01T08:00",
        registrationClosesAtLocal: "2031-07-04T20:00",
        registrationCode: "PINE",
        hostCountsAsParticipant: "on",
      }),
    );
    expect(created.status).toBe(303);
    const id = /^\/admin\/sessions\/(ses_[0-9a-z]{20})\?notice=created$/.exec(created.location!)![1]!;
    const session = (await api("GET", `/v1/sessions/${id}`, { key })).body;
    expect(session).toMatchObject({
      title: "Forest camp — week 1",
      startsAt: "2031-07-05T07:00:00.000Z",
      timeZone: "Europe/Paris",
      durationMinutes: 180,
      minParticipants: 4,
      maxParticipants: 12,
      hostCountsAsParticipant: true,
      registrationOpensAt: "2031-06-01T06:00:00.000Z",
      registrationClosesAt: "2031-07-04T18:00:00.000Z",
      registrationCode: "PINE",
      waitlist: true,
    });
  });

  it("lists zones by their IANA names and lets the browser's own zone be the new session's default", async () => {
    const { owner, key } = await signedInOwner();
    const form = await browse("GET", "/admin/sessions/new", { cookie: owner.cookie });
    // ICU's names are older ones (Asia/Calcutta, Europe/Kiev): the list says what the IANA database says.
    for (const zone of ["Asia/Kolkata", "Europe/Kyiv", "America/Nuuk", "Asia/Ho_Chi_Minh"]) expect(form.text).toContain(`value="${zone}"`);
    for (const zone of ["Asia/Calcutta", "Europe/Kiev", "America/Godthab", "Asia/Saigon"])
      expect(form.text).not.toContain(`value="${zone}"`);
    // A fresh form asks the browser for its zone (the script knows the old names a browser may
    // report); a form sent back, or an edit, keeps the zone chosen.
    expect(form.text).toMatch(/<select id="timeZone"[^>]*data-browser-zone/);
    expect(form.text).toContain('<script type="module" src="/admin/admin.js"></script>');
    const refused = await submit(owner, "/admin/sessions", sessionForm({ title: "" }));
    expect(refused.text).not.toContain("data-browser-zone");
    const s = await newSession(key, { timeZone: "Asia/Calcutta" });
    const edit = await browse("GET", `/admin/sessions/${s.id}/edit`, { cookie: owner.cookie });
    expect(edit.text).not.toContain("data-browser-zone");
    expect(edit.text).toMatch(/<option value="Asia\/Kolkata" selected/);
  });

  it("invites the people pasted on the new-session form once the session exists, holding no seat (seed 001)", async () => {
    const { owner, key } = await signedInOwner();
    const form = await browse("GET", "/admin/sessions/new", { cookie: owner.cookie });
    expect(form.text).toContain(">Invite participants (optional)</label>");
    expectLabelled(form.text);
    const created = await submit(owner, "/admin/sessions", sessionForm({ invite: "ada@example.org, Grace Hopper <grace@example.org>" }));
    expect(created.status, created.text.slice(0, 300)).toBe(303);
    expect(created.location).toMatch(/^\/admin\/sessions\/ses_[0-9a-z]{20}\?notice=createdInvited$/);
    const id = created.location!.split("/")[3]!.split("?")[0]!;
    const invitations = (await api("GET", `/v1/sessions/${id}/invitations`, { key })).body.invitations;
    expect(
      invitations
        .map((i: { email: string; name: string | null; status: string; holdSeat: boolean }) => [i.email, i.name, i.status, i.holdSeat])
        .sort(),
    ).toEqual([
      ["ada@example.org", null, "sent", false],
      ["grace@example.org", "Grace Hopper", "sent", false],
    ]);
    const page = await browse("GET", created.location!, { cookie: owner.cookie });
    expect(page.text).toContain("Session created. Its invitations are on their way");
  });

  it("refuses an address it cannot read on the new-session form and creates nothing, in French too", async () => {
    const { owner, key } = await signedInOwner();
    const before = (await api("GET", "/v1/sessions", { key })).body.sessions.length;
    const refused = await submit(owner, "/admin/sessions", sessionForm({ invite: "ada@example.org, ada-at-example" }), {
      "accept-language": "fr",
    });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain("Adresses e-mail non valides\u00a0: ada-at-example.");
    expect(refused.text).toContain('id="invite-error"');
    expect(refused.text).toContain("ada@example.org, ada-at-example</textarea>"); // kept to correct
    expect((await api("GET", "/v1/sessions", { key })).body.sessions.length).toBe(before);
  });

  it("refuses to invite to a session that starts in the past, or past the hour's mail budget, and creates nothing", async () => {
    const { owner, key, orgId } = await signedInOwner();
    const count = async () => (await api("GET", "/v1/sessions?when=all", { key })).body.sessions.length;
    const before = await count();
    const past = await submit(owner, "/admin/sessions", sessionForm({ startsAtLocal: "2020-07-05T09:00", invite: "ada@example.org" }));
    expect(past.status).toBe(422);
    expect(past.text).toContain("This session starts in the past: nobody could accept an invitation.");
    expect(past.text).toContain('id="invite-error"');

    // The hour's budget has room for one email; two are pasted.
    const hour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000).toISOString();
    await env.DB.prepare("insert into mail_budget (org_id, window_start, sent) values (?1, ?2, ?3)")
      .bind(orgId, hour, Number(env.MAIL_HOURLY_BUDGET) - 1)
      .run();
    const spent = await submit(owner, "/admin/sessions", sessionForm({ invite: "ada@example.org, grace@example.org" }), {
      "accept-language": "fr",
    });
    expect(spent.status).toBe(422);
    expect(spent.text).toContain("Votre organisation a utilisé ses e-mails pour cette heure\u00a0: créez la séance sans inviter");
    expect(await count()).toBe(before);
  });

  it("refuses a capacity below the seats taken on the capacity field, in the admin's language", async () => {
    const { owner } = await signedInOwner();
    const created = await submit(owner, "/admin/sessions", sessionForm({ minParticipants: "1", maxParticipants: "3" }));
    const id = created.location!.split("/")[3]!.split("?")[0]!;
    for (const name of ["Ada", "Grace"]) await registered(id, { name, email: `${name.toLowerCase()}@example.org` });
    const fr = await submit(owner, `/admin/sessions/${id}/edit`, sessionForm({ minParticipants: "1", maxParticipants: "1" }), {
      "accept-language": "fr",
    });
    expect(fr.status).toBe(409);
    expect(fr.text).toContain("La capacité doit être d’au moins 2, les places prises");
    const en = await submit(owner, `/admin/sessions/${id}/edit`, sessionForm({ minParticipants: "1", maxParticipants: "1" }));
    expect(en.text).toContain(`id="maxParticipants-error"`);
    expect(en.text).toContain("The capacity must be at least 2, the seats taken");
  });

  it("sets confirmation by email with a checkbox, on create and on edit", async () => {
    const { owner, key } = await signedInOwner();
    const form = await browse("GET", "/admin/sessions/new", { cookie: owner.cookie });
    expect(form.text).toMatch(/<input id="confirmByEmail" name="confirmByEmail" type="checkbox"/);
    expect(form.text).toContain("Hold each seat until the person confirms their email address");
    const created = await submit(owner, "/admin/sessions", sessionForm({ confirmByEmail: "on" }));
    const id = created.location!.split("/")[3]!.split("?")[0]!;
    expect((await api("GET", `/v1/sessions/${id}`, { key })).body.confirmByEmail).toBe(true);
    const edit = await browse("GET", `/admin/sessions/${id}/edit`, { cookie: owner.cookie });
    expect(edit.text).toMatch(/id="confirmByEmail"[^>]*checked/);
    expect((await submit(owner, `/admin/sessions/${id}/edit`, sessionForm())).status).toBe(303);
    expect((await api("GET", `/v1/sessions/${id}`, { key })).body.confirmByEmail).toBe(false);
  });

  it("sets a price in major units, its currency and the refund window, shows them, and takes them off again", async () => {
    const { owner, key } = await signedInOwner();
    const created = await submit(owner, "/admin/sessions", sessionForm({ price: "25,50", currency: "CAD", refundUntilDays: "7" }));
    expect(created.status, created.text.slice(0, 300)).toBe(303);
    const id = created.location!.split("/")[3]!.split("?")[0]!;
    expect((await api("GET", `/v1/sessions/${id}`, { key })).body).toMatchObject({
      price: { amount: 2550, currency: "CAD" },
      refundUntilDays: 7,
    });
    expect((await browse("GET", `/admin/sessions/${id}`, { cookie: owner.cookie })).text).toContain(
      "CA$25.50 · refunded in full until 7 days before",
    );
    const edit = (await browse("GET", `/admin/sessions/${id}/edit`, { cookie: owner.cookie })).text;
    expect(edit).toMatch(/id="price" name="price"[^>]*value="25.50"/);
    expect(edit).toMatch(/<option value="CAD" selected/);
    // A currency without minor units takes the amount as typed.
    expect((await submit(owner, `/admin/sessions/${id}/edit`, sessionForm({ price: "1500", currency: "JPY" }))).status).toBe(303);
    expect((await api("GET", `/v1/sessions/${id}`, { key })).body).toMatchObject({
      price: { amount: 1500, currency: "JPY" },
      refundUntilDays: null,
    });
    expect((await browse("GET", `/admin/sessions/${id}`, { cookie: owner.cookie })).text).toContain("no refund when a participant cancels");
    // Emptied: free again.
    expect((await submit(owner, `/admin/sessions/${id}/edit`, sessionForm({ price: "" }))).status).toBe(303);
    expect((await api("GET", `/v1/sessions/${id}`, { key })).body.price).toBeNull();
  });

  it("refuses an amount, a currency or a refund window it cannot take, naming the field, and creates nothing", async () => {
    const { owner, key } = await signedInOwner();
    const fr = { "accept-language": "fr" };
    const amount = await submit(owner, "/admin/sessions", sessionForm({ price: "vingt" }), fr);
    expect(amount.status).toBe(422);
    expect(amount.text).toContain("Saisissez un montant comme 25 ou 25,50, ou laissez vide pour une séance gratuite.");
    expect(amount.text).toContain('value="vingt"');
    const currency = await submit(owner, "/admin/sessions", sessionForm({ price: "10", currency: "XYZ" }));
    expect(currency.status).toBe(422);
    expect(currency.text).toContain("Choose the price&#39;s currency.");
    const refund = await submit(owner, "/admin/sessions", sessionForm({ price: "10", refundUntilDays: "400" }));
    expect(refund.status).toBe(422);
    expect(refund.text).toContain("Enter a whole number of days from 0 to 365, or leave empty for no refund.");
    expect((await api("GET", "/v1/sessions", { key })).body.sessions).toEqual([]);
  });

  it("takes a start in the past and says so, on create and on an edit that moves it there", async () => {
    const { owner, key } = await signedInOwner();
    const created = await submit(owner, "/admin/sessions", sessionForm({ startsAtLocal: "2020-03-01T10:00" }));
    expect(created.status).toBe(303);
    expect(created.location).toMatch(/\?notice=createdPast$/);
    expect((await browse("GET", created.location!, { cookie: owner.cookie })).text).toContain(
      "Session created. It starts in the past, so nobody can register for it: check its date below.",
    );
    const id = created.location!.split("/")[3]!.split("?")[0]!;
    // Saved again without moving the start: a plain "Saved."
    expect((await submit(owner, `/admin/sessions/${id}/edit`, sessionForm({ startsAtLocal: "2020-03-01T10:00" }))).location).toMatch(
      /\?notice=saved$/,
    );
    const future = await submit(owner, "/admin/sessions", sessionForm());
    expect(future.location).toMatch(/\?notice=created$/);
    const futureId = future.location!.split("/")[3]!.split("?")[0]!;
    const moved = await submit(owner, `/admin/sessions/${futureId}/edit`, sessionForm({ startsAtLocal: "2021-07-05T09:00" }), {
      "accept-language": "fr",
    });
    expect(moved.location).toMatch(/\?notice=savedPast$/);
    expect((await browse("GET", moved.location!, { cookie: owner.cookie, headers: { "accept-language": "fr" } })).text).toContain(
      "La séance commence maintenant dans le passé\u00a0: personne ne peut s’y inscrire.",
    );
    expect((await api("GET", `/v1/sessions/${futureId}`, { key })).body.startsAt).toBe("2021-07-05T07:00:00.000Z");
  });

  it("keeps a New York morning a New York morning", async () => {
    const { owner, key } = await signedInOwner();
    const created = await submit(
      owner,
      "/admin/sessions",
      sessionForm({ timeZone: "America/New_York", startsAtLocal: "2031-01-15T09:30" }),
    );
    const id = created.location!.split("/")[3]!.split("?")[0]!;
    expect((await api("GET", `/v1/sessions/${id}`, { key })).body.startsAt).toBe("2031-01-15T14:30:00.000Z");
  });

  it("gives the form back with every problem marked when fields are wrong", async () => {
    const { owner, key } = await signedInOwner();
    const res = await submit(
      owner,
      "/admin/sessions",
      sessionForm({ title: "", description: " ", startsAtLocal: "not a date", minParticipants: "20", maxParticipants: "12" }),
    );
    expect(res.status).toBe(422);
    expect(res.text).toContain('role="alert"');
    expect(res.text).toMatch(/id="title"[^>]*aria-invalid="true"/);
    expect(res.text).toMatch(/id="description"[^>]*aria-invalid="true"/);
    expect(res.text).toMatch(/id="startsAtLocal"[^>]*aria-invalid="true"/);
    expect(res.text).toContain('value="not a date"');
    expect(res.text).toContain("Enter a date and a time.");
    expect((await api("GET", "/v1/sessions", { key })).body.sessions).toHaveLength(0);
  });

  it("edits a session with its times shown in its own zone, and refuses a capacity below the seats taken", async () => {
    const { owner, key } = await signedInOwner();
    const s = await newSession(key, {
      startsAt: "2031-07-05T07:00:00.000Z",
      timeZone: "Europe/Paris",
      maxParticipants: 5,
      minParticipants: 1,
    });
    for (let i = 0; i < 3; i++) await register(s.id, person(i));
    const form = await browse("GET", `/admin/sessions/${s.id}/edit`, { cookie: owner.cookie });
    expect(form.text).toContain('value="2031-07-05T09:00"');
    expect(form.text).toMatch(/<option value="Europe\/Paris" selected(="")?>/);
    const edited = {
      ...sessionForm(),
      title: s.title,
      description: s.description,
      startsAtLocal: "2031-07-05T10:00",
      minParticipants: "1",
    };
    const refused = await submit(owner, `/admin/sessions/${s.id}/edit`, { ...edited, maxParticipants: "2" });
    expect(refused.status).toBe(409);
    expect(refused.text).toMatch(/id="maxParticipants"[^>]*aria-invalid="true"/);
    const saved = await submit(owner, `/admin/sessions/${s.id}/edit`, { ...edited, maxParticipants: "8" });
    expect(saved.status).toBe(303);
    expect(saved.location).toBe(`/admin/sessions/${s.id}?notice=saved`);
    expect((await api("GET", `/v1/sessions/${s.id}`, { key })).body).toMatchObject({
      startsAt: "2031-07-05T08:00:00.000Z",
      maxParticipants: 8,
    });
  });

  it("cancels a session after a confirmation page", async () => {
    const { owner, key } = await signedInOwner();
    const s = await newSession(key);
    const confirm = await browse("GET", `/admin/sessions/${s.id}/cancel`, { cookie: owner.cookie });
    expect(confirm.text).toContain("This cannot be undone.");
    const res = await submit(owner, `/admin/sessions/${s.id}/cancel`);
    expect(res.status).toBe(303);
    expect((await api("GET", `/v1/sessions/${s.id}`, { key })).body.status).toBe("cancelled");
  });
});

describe("GET /admin/sessions/{id}", () => {
  it("embeds the roster (with its own invitation modal), the public URL and the snippet to paste", async () => {
    const { owner, key } = await signedInOwner();
    const s = await newSession(key, { title: 'Camp "Pines" <2031>' });
    const page = await browse("GET", `/admin/sessions/${s.id}`, { cookie: owner.cookie });
    expect(page.status).toBe(200);
    expect(page.text).toContain('<script type="module" src="/widget/rollcall.js"></script>');
    expect(page.text).toContain(`<rollcall-roster session="${s.id}" token-url="/admin/widget-token?session=${s.id}"`);
    // A member is the org's admin: the roster links each name to its contact's page.
    expect(page.text).toMatch(/<rollcall-roster [^>]*contact-link="\/admin\/contacts\/\{id\}"/);
    expect(page.text).toContain(`value="https://rollcall.test/s/${s.id}"`);
    expect(page.text).toContain(
      `&lt;script type=&quot;module&quot; src=&quot;https://rollcall.test/widget/rollcall.js&quot;&gt;&lt;/script&gt;\n&lt;rollcall-join session=&quot;${s.id}&quot;&gt;&lt;/rollcall-join&gt;`,
    );
    expect(page.text).toContain("Camp &quot;Pines&quot; &lt;2031&gt;");
    expectLabelled(page.text);
  });

  it("gives the roster's invitation dialog the org's language for people without their own, whatever the screen's", async () => {
    const { owner, key } = await signedInOwner();
    const s = await newSession(key);
    const english = await browse("GET", `/admin/sessions/${s.id}`, { cookie: owner.cookie, headers: { "accept-language": "en" } });
    expect(english.text).toMatch(/<rollcall-roster [^>]*locale="en-GB" invitation-locale="en"/);
    await api("PATCH", "/v1/org", { key, body: { settings: { defaultLocale: "fr" } } });
    const french = await browse("GET", `/admin/sessions/${s.id}`, { cookie: owner.cookie, headers: { "accept-language": "en" } });
    expect(french.text).toMatch(/<rollcall-roster [^>]*locale="en-GB" invitation-locale="fr"/);
  });

  it("takes the seats and the registration state from the roster, which follows the live channel", async () => {
    const { owner, key } = await signedInOwner();
    const s = await newSession(key, { maxParticipants: 1, minParticipants: 1 });
    await register(s.id, person(1));
    const page = await browse("GET", `/admin/sessions/${s.id}`, { cookie: owner.cookie });
    // One source for the header's live part: a second, server-rendered copy would go stale as
    // people join. Without scripts (no roster), the page's own copy shows instead.
    const scripted = page.text.replace(/<noscript>[\s\S]*?<\/noscript>/g, "");
    expect(scripted).not.toContain("seats taken");
    expect(scripted).not.toContain(">Full<");
    const fallback = [...page.text.matchAll(/<noscript>([\s\S]*?)<\/noscript>/g)].map((m) => m[1]).join("");
    expect(fallback).toContain("1 of 1 seat taken");
    expect(fallback).toContain(">Full<");
  });

  it("offers to copy the public URL and the snippet, with the script that does it", async () => {
    const { owner, key } = await signedInOwner();
    const s = await newSession(key);
    const page = await browse("GET", `/admin/sessions/${s.id}`, { cookie: owner.cookie });
    expect(page.text).toMatch(
      /<button type="button" class="secondary copy" data-copy="public-url" data-copied="Copied" hidden="">Copy<\/button>/,
    );
    expect(page.text).toMatch(
      /<button type="button" class="secondary copy" data-copy="embed" data-copied="Copied" hidden="">Copy<\/button>/,
    );
    expect(page.text).toContain('<script type="module" src="/admin/admin.js"></script>');
    const script = await browse("GET", "/admin/admin.js");
    expect(script.status).toBe(200);
    expect(script.headers.get("content-type")).toContain("text/javascript");
    expect(script.text).toContain("navigator.clipboard.writeText");
  });

  it("is sent with headers that keep it out of frames and caches", async () => {
    const { owner, key } = await signedInOwner();
    const s = await newSession(key);
    const page = await browse("GET", `/admin/sessions/${s.id}`, { cookie: owner.cookie });
    expect(page.headers.get("x-frame-options")).toBe("DENY");
    expect(page.headers.get("cache-control")).toBe("no-store");
    expect(page.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  });
});

describe("GET /admin/widget-token", () => {
  /** What the widget sends with its token-url request (widget/api/tokens.ts). */
  const AS_WIDGET = { [TOKEN_REQUEST_HEADER]: "1" };

  it("gives the signed-in member a 15-minute token with every scope for one session of their org", async () => {
    const { owner, key, orgId } = await signedInOwner();
    const s = await newSession(key);
    const res = await browse("GET", `/admin/widget-token?session=${s.id}`, { cookie: owner.cookie, headers: AS_WIDGET });
    expect(res.status).toBe(200);
    const { token, expiresAt } = JSON.parse(res.text);
    const ttl = Date.parse(expiresAt) - Date.now();
    expect(ttl).toBeGreaterThan(14 * 60_000);
    expect(ttl).toBeLessThanOrEqual(15 * 60_000);
    expect(await verifyWidgetToken(await signingKeys(env), token, new Date())).toMatchObject({
      ok: true,
      orgId,
      sessionId: s.id,
      scopes: ["roster:read", "invite", "manage"],
    });
    expect((await api("GET", `/v1/sessions/${s.id}/roster`, { key: token })).status).toBe(200);
    const other = await newSession(key);
    expect((await api("GET", `/v1/sessions/${other.id}/roster`, { key: token })).status).toBe(403); // token_wrong_session
  });

  it("answers 404 for another org's session and 401 without a member's cookie", async () => {
    const { owner } = await signedInOwner();
    const other = await signedInOwner("Other camp");
    const theirs = await newSession(other.key);
    const res = await browse("GET", `/admin/widget-token?session=${theirs.id}`, { cookie: owner.cookie, headers: AS_WIDGET });
    expect(res.status).toBe(404);
    expect(JSON.parse(res.text).code).toBe("not_found");
    const anonymous = await browse("GET", `/admin/widget-token?session=${theirs.id}`, { headers: AS_WIDGET });
    expect(anonymous.status).toBe(401);
    expect(JSON.parse(anonymous.text).code).toBe("unauthenticated");
  });

  it("gives nothing to a request another site's page could make: no widget header, 403", async () => {
    const { owner, key } = await signedInOwner();
    const s = await newSession(key);
    // A link, an <img>, a form or a no-cors fetch from elsewhere: the browser adds the cookie (a
    // top-level GET) or at least sends the request, but cannot add a custom header.
    const requests: Record<string, string>[] = [{}, { [TOKEN_REQUEST_HEADER]: "0" }, { "sec-fetch-site": "cross-site" }];
    for (const headers of requests) {
      const res = await browse("GET", `/admin/widget-token?session=${s.id}`, { cookie: owner.cookie, headers });
      expect(res.status).toBe(403);
      expect(JSON.parse(res.text)).toMatchObject({ code: "forbidden" });
      expect(res.text).not.toContain("wt_");
    }
  });

  it("never gives an org-wide token: a session must be named", async () => {
    const { owner } = await signedInOwner();
    for (const query of ["", "?session=", "?other=1"]) {
      const res = await browse("GET", `/admin/widget-token${query}`, { cookie: owner.cookie, headers: AS_WIDGET });
      expect(res.status).toBe(422);
      expect(JSON.parse(res.text)).toMatchObject({ code: "validation_failed", errors: [{ path: "session" }] });
    }
  });
});

describe("API keys", () => {
  it("reveals a new key once, after a redirect, lists it by prefix only, and revokes it", async () => {
    const { owner, ownerEmail } = await signedInOwner();
    // The label is checked by the API's own schema: a control character is refused, as the API refuses it.
    for (const label of ["   ", "Bell\u0007"]) {
      const refused = await submit(owner, "/admin/keys", { label });
      expect(refused.status, JSON.stringify(label)).toBe(422);
      expect(refused.text).toContain("Give the key a label of at most 100 characters");
    }
    const created = await submit(owner, "/admin/keys", { label: "Website <script>" });
    // Post, redirect, get: reloading the page that shows the key creates nothing.
    expect(created.status).toBe(303);
    expect(created.location).toBe("/admin/keys/new");
    const handover = created.headers.get("set-cookie")!;
    expect(handover).toMatch(/^rollcall_new_key=[^;]+; Max-Age=300; Path=\/admin\/keys\/new; HttpOnly; Secure; SameSite=Strict$/);
    const cookie = `${owner.cookie}; ${handover.split(";")[0]}`;
    const shown = await browse("GET", "/admin/keys/new", { cookie });
    expect(shown.status).toBe(200);
    const key = /id="new-key" class="code" readonly(?:="")? value="(rk_[A-Za-z0-9_-]+)"/.exec(shown.text)![1]!;
    expect(shown.text).toContain("Website &lt;script&gt;");
    expect(shown.text).toMatch(/<button type="button" class="secondary copy" data-copy="new-key"/);
    expect(shown.headers.get("set-cookie")).toMatch(/^rollcall_new_key=; Max-Age=0; Path=\/admin\/keys\/new/);
    const reloaded = await browse("GET", "/admin/keys/new", { cookie: owner.cookie });
    expect(reloaded.status).toBe(303);
    expect(reloaded.location).toBe("/admin/keys");
    expect((await api("GET", "/v1/sessions", { key })).status).toBe(200);
    const list = await browse("GET", "/admin/keys", { cookie: owner.cookie });
    expect(list.text).toContain(`<td data-label="Key" class="words"><code>${key.slice(0, 10)}…</code></td>`);
    expect(list.text).not.toContain(key);
    expect(list.text.match(/>Website &lt;script&gt;<\/td>/g)).toHaveLength(1);
    // The org's own key answers to "The organisation", which breaks between words only; an
    // address may break anywhere.
    expect(list.text).toContain('<td data-label="Answers to" class="words">The organisation</td>');
    expect(list.text).toContain(`<td data-label="Answers to">${ownerEmail}</td>`);
    // Dates as everywhere in the admin and the elements: the whole date, the time, the zone.
    // In UTC, named; the admin's script writes it again in the browser's zone.
    expect(list.text).toMatch(
      /<td data-label="Created"><time datetime="[^"]+" data-local="true">\w+day,? \d{1,2} \w+ \d{4} at \d\d:\d\d \(UTC\)<\/time><\/td>/,
    );
    // The list links to a page that asks first; nothing on the list revokes at once.
    const keyId = /href="\/admin\/keys\/(key_[0-9a-z]+)\/revoke" aria-label="Revoke Website &lt;script&gt;"/.exec(list.text)![1]!;
    expect(list.text).not.toMatch(/<form[^>]*action="\/admin\/keys\/key_[0-9a-z]+\/revoke"/);
    const confirm = await browse("GET", `/admin/keys/${keyId}/revoke`, { cookie: owner.cookie });
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain(`<h1>Revoke the key Website &lt;script&gt; (${key.slice(0, 10)}…)?</h1>`);
    expect(confirm.text).toContain("gets 401 Unauthorized from then on");
    expect(confirm.text).toMatch(new RegExp(`<form method="post" action="/admin/keys/${keyId}/revoke"`));
    expect((await api("GET", "/v1/sessions", { key })).status).toBe(200);
    const revoked = await submit(owner, `/admin/keys/${keyId}/revoke`);
    expect(revoked.status).toBe(303);
    expect(revoked.location).toBe("/admin/keys?notice=revoked");
    expect((await api("GET", "/v1/sessions", { key })).status).toBe(401);
    // Revoked already: nothing left to confirm.
    expect((await browse("GET", `/admin/keys/${keyId}/revoke`, { cookie: owner.cookie })).location).toBe("/admin/keys");
  });

  it("asks before revoking in French, and only for a key of the member's organisation", async () => {
    const { owner } = await signedInOwner();
    const other = await signedInOwner("Other camp");
    const key = await keyMadeBy(owner, "Site web");
    const list = await browse("GET", "/admin/keys", { cookie: owner.cookie });
    const keyId = /href="\/admin\/keys\/(key_[0-9a-z]+)\/revoke" aria-label="Revoke Site web"/.exec(list.text)![1]!;
    const fr = await browse("GET", `/admin/keys/${keyId}/revoke`, { cookie: owner.cookie, headers: { "accept-language": "fr" } });
    expect(fr.text).toContain(`<h1>Révoquer la clé Site web (${key.slice(0, 10)}…)\u00a0?</h1>`);
    expect(fr.text).toContain("reçoit dès lors une erreur 401 Unauthorized");
    expect((await browse("GET", `/admin/keys/${keyId}/revoke`, { cookie: other.owner.cookie })).status).toBe(404);
    expect((await submit(other.owner, `/admin/keys/${keyId}/revoke`)).status).toBe(404);
  });

  it("shows a handed-over key only to a member of its organisation", async () => {
    const { owner } = await signedInOwner();
    const other = await signedInOwner("Other camp");
    const created = await submit(owner, "/admin/keys", { label: "Website" });
    const handover = created.headers.get("set-cookie")!.split(";")[0]!;
    const elsewhere = await browse("GET", "/admin/keys/new", { cookie: `${other.owner.cookie}; ${handover}` });
    expect(elsewhere.status).toBe(303);
    expect(elsewhere.text).not.toContain("rk_");
    const forged = await browse("GET", "/admin/keys/new", { cookie: `${owner.cookie}; rollcall_new_key=key_x.rk_forged` });
    expect(forged.status).toBe(303);
  });

  it("refuses a key without a label", async () => {
    const { owner } = await signedInOwner();
    const res = await submit(owner, "/admin/keys", { label: "  " });
    expect(res.status).toBe(422);
    expect(res.text).toMatch(/id="label"[^>]*aria-invalid="true"/);
  });
});

describe("settings", () => {
  it("saves every setting through the same rules as PATCH /v1/org, and clears emptied ones", async () => {
    const { owner, key } = await signedInOwner();
    const form = await browse("GET", "/admin/settings", { cookie: owner.cookie });
    expectLabelled(form.text);
    const saved = await submit(owner, "/admin/settings", {
      name: "Forest Camp",
      senderName: "Forest Camp team",
      replyTo: "hello@camp.example",
      embedOrigins: "https://camp.example\nhttps://www.camp.example",
      invitationLinkTemplate: "https://camp.example/join?rollcall_invite={token}",
      defaultLocale: "fr",
    });
    expect(saved.status).toBe(303);
    expect((await api("GET", "/v1/org", { key })).body.settings).toEqual({
      senderName: "Forest Camp team",
      replyTo: "hello@camp.example",
      embedOrigins: ["https://camp.example", "https://www.camp.example"],
      invitationLinkTemplate: "https://camp.example/join?rollcall_invite={token}",
      defaultLocale: "fr",
    });
    await submit(owner, "/admin/settings", {
      name: "Forest Camp",
      senderName: "",
      replyTo: "",
      embedOrigins: "",
      invitationLinkTemplate: "",
      defaultLocale: "",
    });
    expect((await api("GET", "/v1/org", { key })).body.settings).toEqual({});
  });

  it("quotes, in each language, what a site not allowed is told", async () => {
    const { owner } = await signedInOwner();
    const en = await browse("GET", "/admin/settings", { cookie: owner.cookie });
    expect(en.text).toContain("another site is told: “This site (https://…) is not in the organisation’s allowed origins.”");
    const fr = await browse("GET", "/admin/settings", { cookie: owner.cookie, headers: { "accept-language": "fr" } });
    expect(fr.text).toContain(
      "un autre site lit\u00a0: «\u00a0Ce site (https://…) ne fait pas partie des origines autorisées de l’organisation.\u00a0»",
    );
  });

  it("names the origin that is not one", async () => {
    const { owner, key } = await signedInOwner();
    const res = await submit(owner, "/admin/settings", {
      name: "Forest Camp",
      embedOrigins: "https://camp.example\nhttps://camp.example/path",
    });
    expect(res.status).toBe(422);
    expect(res.text).toContain(
      "https://camp.example/path: write the website&#39;s origin only, such as https://camp.example, without a path.",
    );
    expect(res.text).toMatch(/id="embedOrigins"[^>]*aria-invalid="true"/);
    expect((await api("GET", "/v1/org", { key })).body.settings).toEqual({});
  });

  it("names an origin written without its scheme, keeping the form, in each language", async () => {
    const { owner, key } = await signedInOwner();
    const form = { name: "Forest Camp", embedOrigins: "camp.example" };
    const res = await submit(owner, "/admin/settings", form);
    expect(res.status).toBe(422);
    expect(res.text).toContain("camp.example: write the website&#39;s origin only, such as https://camp.example, without a path.");
    expect(res.text).toMatch(/<textarea[^>]*id="embedOrigins"[^>]*aria-invalid="true"[^>]*>camp\.example<\/textarea>/);
    const fr = await submit(owner, "/admin/settings", form, { "accept-language": "fr" });
    expect(fr.status).toBe(422);
    expect(fr.text).toContain("camp.example : écrivez seulement l’origine du site, par exemple https://camp.example");
    expect((await api("GET", "/v1/org", { key })).body.settings).toEqual({});
  });

  it("says what each refused field takes in the member's language, naming a reserved address", async () => {
    const { owner, key } = await signedInOwner();
    const fr = { "accept-language": "fr" };
    const res = await submit(
      owner,
      "/admin/settings",
      { name: "Forest Camp", slug: "admin", replyTo: "nope", retentionMonths: "abc", embedOrigins: "ftp://camp.example" },
      fr,
    );
    expect(res.status).toBe(422);
    expect(res.text).toContain("Cette adresse est réservée aux pages de Rollcall ; choisissez-en une autre.");
    expect(res.text).toContain("Saisissez une adresse e-mail, ou laissez vide.");
    expect(res.text).toContain("Saisissez un nombre entier de mois, de ");
    expect(res.text).toContain("ftp://camp.example : écrivez seulement l’origine du site");
    expect(res.text).not.toMatch(/must |Invalid |expected /);
    const shape = await submit(owner, "/admin/settings", { name: "Forest Camp", slug: "-camp" }, fr);
    expect(shape.text).toContain("Utilisez de 3 à 48 lettres minuscules, chiffres et tirets");
    expect((await api("GET", "/v1/org", { key })).body.settings).toEqual({});
  });

  it("refuses a sender name with an email address in it, in the member's language, saving nothing", async () => {
    const { owner, key } = await signedInOwner();
    const res = await submit(owner, "/admin/settings", { name: "Renamed", senderName: "billing@bank.example" });
    expect(res.status).toBe(422);
    expect(res.text).toContain("A sender name may not contain an email address");
    expect(res.text).toMatch(/id="senderName"[^>]*aria-invalid="true"/);
    const fr = await submit(
      owner,
      "/admin/settings",
      { name: "Renamed", senderName: "Support <help@bank.example>" },
      { "accept-language": "fr" },
    );
    expect(fr.status).toBe(422);
    expect(fr.text).toContain("Le nom de l’expéditeur ne peut pas contenir d’adresse e-mail");
    const org = (await api("GET", "/v1/org", { key })).body;
    expect(org.name).not.toBe("Renamed");
    expect(org.settings).toEqual({});
  });
});

describe("POST /admin/sessions/{id}/mail/redrive", () => {
  it("shows how many emails could not be sent, and sends them again on the button", async () => {
    const { owner, key } = await signedInOwner();
    const s = await newSession(key);
    const quiet = await browse("GET", `/admin/sessions/${s.id}`, { cookie: owner.cookie });
    expect(quiet.text).not.toContain("/mail/redrive");

    const dead = {
      id: "msg_adminredrive01",
      template: "waitlisted" as const,
      to: "late@example.org",
      locale: "en" as const,
      sessionId: s.id,
      data: {
        name: null,
        sessionTitle: s.title,
        startsAt: s.startsAt,
        durationMinutes: 60,
        timeZone: "UTC",
        baseUrl: "https://rollcall.test",
        manageToken: "t",
      },
    };
    await ledger(s.id).recordDeadMail([dead], "gave up after an hour of outage", new Date().toISOString());
    const page = await browse("GET", `/admin/sessions/${s.id}`, { cookie: owner.cookie });
    expect(page.text).toContain("1 email could not be sent.");
    expect(page.text).toContain(`action="/admin/sessions/${s.id}/mail/redrive"`);

    expect((await submit({ ...owner, csrf: "wrong" }, `/admin/sessions/${s.id}/mail/redrive`)).status).toBe(403);
    const res = await submit(owner, `/admin/sessions/${s.id}/mail/redrive`);
    expect(res.status).toBe(303);
    expect(res.location).toBe(`/admin/sessions/${s.id}?notice=redriven`);
    const after = await browse("GET", res.location!, { cookie: owner.cookie });
    expect(after.text).toContain("Sent again.");
    expect(after.text).not.toContain("/mail/redrive");
    expect((await api("GET", `/v1/sessions/${s.id}/roster`, { key })).body.mail.failed).toBe(0);
  });

  it("is not found for another org's session", async () => {
    const { owner } = await signedInOwner();
    const other = await signedInOwner("Other camp");
    const theirs = await newSession(other.key);
    expect((await submit(owner, `/admin/sessions/${theirs.id}/mail/redrive`)).status).toBe(404);
  });
});
