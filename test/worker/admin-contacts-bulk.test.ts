// The contacts list's bulk actions in the hosted admin (seed 002): the selected contacts invited to
// a session (asking first when the emails go now, then saying who was invited and who was skipped,
// and why) or added to a program (a program invitation job, followed on the program's page), each
// through the same service functions as the API, and only within the member's own org.
import { env, SELF } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { browse, signedInOwner, submit } from "./admin-helpers";
import { api, BASE, ledger, newSession } from "./helpers";

afterEach(() => vi.restoreAllMocks());

type Who = { cookie: string; csrf: string };

/** The bulk form as a browser sends it: one contactIds entry per ticked box. */
async function bulk(who: Who, contactIds: string[], fields: Record<string, string>, headers: Record<string, string> = {}) {
  const form = new URLSearchParams({ _csrf: who.csrf });
  for (const id of contactIds) form.append("contactIds", id);
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  const res = await SELF.fetch(`${BASE}/admin/contacts/bulk`, {
    method: "POST",
    headers: { cookie: who.cookie, "content-type": "application/x-www-form-urlencoded", ...headers },
    body: form.toString(),
    redirect: "manual",
  });
  return { status: res.status, text: await res.text(), location: res.headers.get("location") };
}

async function contactsOf(key: string, recipients: string) {
  const created = await api("POST", "/v1/contacts", { key, body: { recipients } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.created as { id: string; email: string }[];
}

const invitationsOf = async (key: string, sessionId: string) =>
  (await api("GET", `/v1/sessions/${sessionId}/invitations`, { key })).body.invitations as {
    email: string;
    status: string;
    holdSeat: boolean;
  }[];

describe("POST /admin/contacts/bulk: invite to a session", () => {
  it("offers the org's upcoming sessions and programs beside the selected contacts", async () => {
    const { key, owner } = await signedInOwner();
    await contactsOf(key, "ada@example.org");
    const s = await newSession(key, { title: "Canoe basics" });
    const program = (await api("POST", "/v1/programs", { key, body: { name: "Summer 2031", startsOn: "2031-07-01", timeZone: "UTC" } }))
      .body;
    const page = await browse("GET", "/admin/contacts", { cookie: owner.cookie });
    expect(page.text).toContain("<legend>Invite to a session</legend>");
    expect(page.text).toMatch(new RegExp(`<option value="${s.id}"[^>]*>Canoe basics — `));
    expect(page.text).toContain(`<option value="${program.id}">Summer 2031</option>`);
    expect(page.text).toContain('<button type="submit" name="bulk" value="session">Invite</button>');
    expect(page.text).toContain('<input type="radio" id="send-later" name="send" value="later"/>');
    // The Type column keeps short values whole ("member", not "memb er"); on a phone each row is a
    // card with every value under its column's name, the checkbox beside the name.
    expect(page.text).toContain('<table class="cards">');
    expect(page.text).toContain('<td class="words" data-label="Type">member</td>');
    expect(page.text).toMatch(/<td class="pick"><input type="checkbox" name="contactIds"/);
    const french = await browse("GET", "/admin/contacts", { cookie: owner.cookie, headers: { "accept-language": "fr" } });
    expect(french.text).toContain("<legend>Inviter à une séance</legend>");
    expect(french.text).toContain("<legend>Ajouter à un programme</legend>");
  });

  it("asks before emailing now, then invites through the API's path and says who was skipped, and why", async () => {
    const { key, owner } = await signedInOwner();
    const [ada, grace, bob] = await contactsOf(key, "Ada Lovelace <ada@example.org>, grace@example.org, bob@example.org");
    await api("PATCH", `/v1/contacts/${grace!.id}`, { key, body: { status: "deactivated" } });
    const s = await newSession(key, { title: "Canoe basics" });
    await api("POST", `/v1/sessions/${s.id}/invitations`, { key, body: { recipients: "bob@example.org", send: "later" } });
    const ids = [ada!.id, grace!.id, bob!.id];

    const asked = await bulk(owner, ids, { bulk: "session", sessionId: s.id, send: "now", holdSeat: "on" });
    expect(asked.status).toBe(200);
    expect(asked.text).toContain("Email an invitation for Canoe basics to 3 selected contacts now?");
    expect(asked.text).toContain('<input type="hidden" name="confirmed" value="1"/>');
    expect((await invitationsOf(key, s.id)).map((i) => i.email)).toEqual(["bob@example.org"]);

    const done = await bulk(owner, ids, { bulk: "session", sessionId: s.id, send: "now", holdSeat: "on", confirmed: "1" });
    expect(done.status).toBe(200);
    expect(done.text).toContain("Invitations for Canoe basics");
    expect(done.text).toContain("1 person invited, the emails are on their way.");
    expect(done.text).toContain("2 people skipped:");
    expect(done.text).toMatch(
      new RegExp(`<a href="/admin/contacts/${grace!.id}">grace@example.org</a></td><td data-label="Why">Contact deactivated`),
    );
    expect(done.text).toMatch(/bob@example.org<\/td><td data-label="Why">Already invited to this session/);
    const invitations = await invitationsOf(key, s.id);
    expect(invitations.find((i) => i.email === "ada@example.org")).toMatchObject({ status: "sent", holdSeat: true });

    // Sent again (a reload): nobody is invited twice.
    const again = await bulk(owner, ids, { bulk: "session", sessionId: s.id, send: "now", holdSeat: "on", confirmed: "1" });
    expect(again.text).toContain('<p role="status" class="alert">No one invited: everyone chosen was skipped.</p>');
    expect(await invitationsOf(key, s.id)).toHaveLength(2);
  });

  it("asks the invitations' language for people without their own, the org's first, and keeps it through the question", async () => {
    const { key, owner } = await signedInOwner();
    expect((await api("PATCH", "/v1/org", { key, body: { settings: { defaultLocale: "fr" } } })).status).toBe(200);
    const [ada, grace] = await contactsOf(key, "ada@example.org, grace@example.org");
    await api("PATCH", `/v1/contacts/${grace!.id}`, { key, body: { locale: "fr" } });
    const s = await newSession(key, { title: "Canoe basics" });
    const english = { "accept-language": "en" };
    const page = await browse("GET", "/admin/contacts", { cookie: owner.cookie, headers: english });
    expect(page.text).toContain('<label for="locale">Language of the invitation</label>');
    expect(page.text).toMatch(
      /<select[^>]*name="locale"[^>]*><option value="en">English<\/option><option value="fr" selected="">Français<\/option>/,
    );

    const fields = { bulk: "session", sessionId: s.id, send: "now", locale: "en" };
    const asked = await bulk(owner, [ada!.id, grace!.id], fields, english);
    expect(asked.text).toContain('<input type="hidden" name="locale" value="en"/>');
    await bulk(owner, [ada!.id, grace!.id], { ...fields, confirmed: "1" }, english);
    const invitations = (await api("GET", `/v1/sessions/${s.id}/invitations`, { key })).body.invitations as {
      email: string;
      locale: string;
    }[];
    // Grace chose French: her own language wins over the one asked.
    expect(Object.fromEntries(invitations.map((i) => [i.email, i.locale]))).toEqual({ "ada@example.org": "en", "grace@example.org": "fr" });
  });

  it("names an SMS contact without an address as skipped, and says no one was invited, in French too", async () => {
    const { key, owner } = await signedInOwner();
    const noor = (
      await api("POST", "/v1/contacts", { key, body: { firstName: "Noor", lastName: "Haddad", phone: "+33612345679", channel: "sms" } })
    ).body;
    const s = await newSession(key, { title: "Kayak" });
    const done = await bulk(
      owner,
      [noor.id],
      { bulk: "session", sessionId: s.id, send: "now", confirmed: "1" },
      { "accept-language": "fr" },
    );
    expect(done.status).toBe(200);
    expect(done.text).toContain('<p role="status" class="alert">Aucune invitation\u00a0: chaque personne choisie a été écartée.</p>');
    expect(done.text).toMatch(
      new RegExp(`<a href="/admin/contacts/${noor.id}">Noor Haddad</a></td><td data-label="Pourquoi">Joignable par SMS seulement`),
    );
    expect(await invitationsOf(key, s.id)).toEqual([]);
  });

  it("keeps invitations to send without asking, holding no seat when told, in French too", async () => {
    const { key, owner } = await signedInOwner();
    const [ada] = await contactsOf(key, "ada@example.org");
    const s = await newSession(key, { title: "Kayak" });
    const kept = await bulk(owner, [ada!.id], { bulk: "session", sessionId: s.id, send: "later" }, { "accept-language": "fr" });
    expect(kept.status).toBe(200);
    expect(kept.text).toContain("1 personne invitée, à envoyer depuis la liste de la séance.");
    expect(await invitationsOf(key, s.id)).toEqual([
      expect.objectContaining({ email: "ada@example.org", status: "draft", holdSeat: false }),
    ]);
  });

  it("refuses, saying why and inviting nobody, a session without seats for them, and another org's session", async () => {
    const { key, owner } = await signedInOwner();
    const people = await contactsOf(key, "ada@example.org, grace@example.org");
    const ids = people.map((p) => p.id);
    const small = await newSession(key, { maxParticipants: 1, minParticipants: 1 });
    const full = await bulk(owner, ids, { bulk: "session", sessionId: small.id, send: "later", holdSeat: "on" });
    expect(full.status).toBe(409);
    expect(full.text).toContain("Nobody was invited: The session has not enough seats for everyone");
    expect(await invitationsOf(key, small.id)).toEqual([]);

    const other = await signedInOwner("Other camp");
    const theirs = await newSession(other.key);
    const refused = await bulk(owner, ids, { bulk: "session", sessionId: theirs.id, send: "later", confirmed: "1" });
    expect(refused.status).toBe(404);
    expect(refused.text).toContain("This session or program no longer exists.");
    expect(await invitationsOf(other.key, theirs.id)).toEqual([]);
    // Nor can another org's member invite this org's contacts to their own session.
    const stolen = await bulk(other.owner, ids, { bulk: "session", sessionId: theirs.id, send: "later" });
    expect(stolen.status).toBe(422);
    expect(await invitationsOf(other.key, theirs.id)).toEqual([]);
  });
});

describe("POST /admin/contacts/bulk: add to a program", () => {
  it("starts a program invitation job for them, as the API does, and shows it on the program's page", async () => {
    const { key, owner } = await signedInOwner();
    const people = await contactsOf(key, "ada@example.org, grace@example.org");
    const s = await newSession(key);
    const program = (await api("POST", "/v1/programs", { key, body: { name: "Summer 2031", startsOn: "2031-07-01", timeZone: "UTC" } }))
      .body;
    await api("POST", `/v1/programs/${program.id}/sessions`, { key, body: { sessionIds: [s.id] } });
    const res = await bulk(
      owner,
      people.map((p) => p.id),
      {
        bulk: "program",
        programId: program.id,
        programHoldSeat: "on",
        programSubject: "Summer <is> here",
        programButtonText: " ",
        programMessage: "",
      },
    );
    expect(res.status).toBe(303);
    const jobs = (await api("GET", `/v1/programs/${program.id}/invitation-jobs`, { key })).body.jobs;
    // The email's words: the subject written, the blank button and message left to the email's own.
    expect(jobs).toEqual([
      expect.objectContaining({
        trigger: "invitations",
        people: 2,
        sessions: 1,
        total: 2,
        holdSeat: true,
        subject: "Summer <is> here",
        buttonText: null,
        message: null,
      }),
    ]);
    expect(res.location).toBe(`/admin/programs/${program.id}?notice=inviting#job-${jobs[0].id}`);
    const page = await browse("GET", res.location!, { cookie: owner.cookie });
    expect(page.text).toContain(`id="job-${jobs[0].id}"`);
    expect(page.text).toMatch(/Inviting 2 people to 1 session: \d of 2/);
    expect(jobs[0].send).toBe("now");
  });

  it('keeps the program email to send when asked (seed 002: "send them an invitation later")', async () => {
    const { key, owner } = await signedInOwner();
    const people = await contactsOf(key, "ada@example.org");
    const program = (await api("POST", "/v1/programs", { key, body: { name: "Summer 2031", startsOn: "2031-07-01", timeZone: "UTC" } }))
      .body;
    await api("POST", `/v1/programs/${program.id}/sessions`, { key, body: { sessionIds: [(await newSession(key)).id] } });
    const form = await browse("GET", "/admin/contacts", { cookie: owner.cookie });
    expect(form.text).toContain('<input type="radio" id="programSend-now" name="programSend" value="now" checked=""/>');
    expect(form.text).toContain('<label for="programSend-later">Keep it to send later (from this program&#39;s page)</label>');
    const res = await bulk(owner, [people[0]!.id], { bulk: "program", programId: program.id, programSend: "later" });
    expect(res.status).toBe(303);
    const jobs = (await api("GET", `/v1/programs/${program.id}/invitation-jobs`, { key })).body.jobs;
    expect(jobs).toEqual([expect.objectContaining({ people: 1, send: "later" })]);
  });

  it("refuses a program with no session still to come, saying what to do, and starts nothing", async () => {
    const { key, owner } = await signedInOwner();
    const [ada] = await contactsOf(key, "ada@example.org");
    const program = (await api("POST", "/v1/programs", { key, body: { name: "Not planned yet", startsOn: "2031-07-01", timeZone: "UTC" } }))
      .body;
    const res = await bulk(owner, [ada!.id], { bulk: "program", programId: program.id });
    expect(res.status).toBe(409);
    expect(res.text).toContain("Nobody was invited");
    expect(res.text).toContain("This program has no session still to come: attach one before inviting.");
    expect((await api("GET", `/v1/programs/${program.id}/invitation-jobs`, { key })).body.jobs).toEqual([]);
  });

  it("refuses another org's program and starts nothing", async () => {
    const { key, owner } = await signedInOwner();
    const [ada] = await contactsOf(key, "ada@example.org");
    const other = await signedInOwner("Other camp");
    const theirs = (
      await api("POST", "/v1/programs", { key: other.key, body: { name: "Theirs", startsOn: "2031-07-01", timeZone: "UTC" } })
    ).body;
    const res = await bulk(owner, [ada!.id], { bulk: "program", programId: theirs.id });
    expect(res.status).toBe(404);
    expect((await api("GET", `/v1/programs/${theirs.id}/invitation-jobs`, { key: other.key })).body.jobs).toEqual([]);
  });

  it("invites to a program whoever the admin puts in one of its groups: pasted into it, or added with the group action", async () => {
    const { key, owner } = await signedInOwner();
    const s = await newSession(key);
    const group = (await api("POST", "/v1/groups", { key, body: { name: "Cohort" } })).body;
    const program = (await api("POST", "/v1/programs", { key, body: { name: "Summer 2031", startsOn: "2031-07-01", timeZone: "UTC" } }))
      .body;
    await api("POST", `/v1/programs/${program.id}/sessions`, { key, body: { sessionIds: [s.id] } });
    await api("POST", `/v1/programs/${program.id}/groups`, { key, body: { groupIds: [group.id] } });
    const [ada] = await contactsOf(key, "ada@example.org");

    expect((await submit(owner, "/admin/contacts", { recipients: "grace@example.org", groupId: group.id })).status).toBe(303);
    expect((await bulk(owner, [ada!.id], { groupId: group.id, action: "add" })).status).toBe(303);
    await vi.waitFor(
      async () => expect((await invitationsOf(key, s.id)).map((i) => i.email).sort()).toEqual(["ada@example.org", "grace@example.org"]),
      { timeout: 20_000 },
    );
    const jobs = (await api("GET", `/v1/programs/${program.id}/invitation-jobs`, { key })).body.jobs;
    // The group was empty when it was assigned; each of them joined it later.
    expect(jobs.map((j: { trigger: string; people: number }) => [j.trigger, j.people]).sort()).toEqual([
      ["groups", 0],
      ["members", 1],
      ["members", 1],
    ]);
  });
});

describe("GET /admin/contacts: each person's latest invitation (seed 002)", () => {
  it("shows it beside each person, its status as it stands now (to send, pending, expired), linked to their history", async () => {
    const { key, owner } = await signedInOwner();
    await api("POST", "/v1/contacts", { key, body: { recipients: "ada@example.org, grace@example.org, lin@example.org" } });
    const first = await newSession(key, { title: "Forest <week> 1", maxParticipants: 10 });
    const second = await newSession(key, { title: "Forest week 2", maxParticipants: 10 });
    await api("POST", `/v1/sessions/${first.id}/invitations`, { key, body: { recipients: "ada@example.org, grace@example.org" } });
    await api("POST", `/v1/sessions/${second.id}/invitations`, { key, body: { recipients: "ada@example.org", send: "later" } });
    for (const s of [first, second]) await ledger(s.id).drain();
    // Grace's has run out: a reader sees it expired although nothing wrote that yet.
    await env.DB.prepare(
      "update invitations set expires_at = '2020-01-01T00:00:00.000Z' where session_id = ?1 and email = 'grace@example.org'",
    )
      .bind(first.id)
      .run();
    const contacts = (await api("GET", "/v1/contacts", { key })).body.contacts as { id: string; email: string }[];
    const id = (email: string) => contacts.find((x) => x.email === email)!.id;

    const page = await browse("GET", "/admin/contacts", { cookie: owner.cookie });
    expect(page.text).toContain('<th scope="col">Latest invitation</th>');
    expect(page.text).toContain(`<a href="/admin/contacts/${id("ada@example.org")}#history">To send · Forest week 2</a>`);
    expect(page.text).toContain(`<a href="/admin/contacts/${id("grace@example.org")}#history">Expired · Forest &lt;week&gt; 1</a>`);
    expect(page.text).not.toContain(`/admin/contacts/${id("lin@example.org")}#history`);
    const french = await browse("GET", "/admin/contacts", { cookie: owner.cookie, headers: { "accept-language": "fr" } });
    expect(french.text).toContain(`<a href="/admin/contacts/${id("ada@example.org")}#history">À envoyer · Forest week 2</a>`);
  });
});
