// Programs in the hosted admin do what /v1/programs does: create one (the API's schema deciding),
// edit it, attach and detach sessions, assign and unassign groups (each starting the invitations
// the API starts), invite groups to it and follow the job, and delete it after a confirmation
// naming it; another org's member reaches none of it.
import { afterEach, describe, expect, it, vi } from "vitest";
import { browse, signedInOwner, submit } from "./admin-helpers";
import { api, newSession } from "./helpers";

afterEach(() => vi.restoreAllMocks());

const programOf = async (key: string, id: string) => (await api("GET", `/v1/programs/${id}`, { key })).body;
const jobsOf = async (key: string, id: string) => (await api("GET", `/v1/programs/${id}/invitation-jobs`, { key })).body.jobs as any[];

describe("/admin/programs", () => {
  it("creates a program from the form, refusing what the API refuses, field by field", async () => {
    const { key, owner } = await signedInOwner();
    const form = await browse("GET", "/admin/programs", { cookie: owner.cookie });
    expect(form.text).toContain('<h2 id="create">Create a program</h2>');
    expect(form.text).toContain('<option value="Europe/Paris"');
    // A fresh form asks the browser for its zone, as a new session's does; one sent back keeps the zone chosen.
    expect(form.text).toMatch(/<select id="timeZone"[^>]*data-browser-zone/);

    const bad = await submit(owner, "/admin/programs", {
      name: "Summer",
      startsOn: "2031-07-10",
      endsOn: "2031-07-01",
      timeZone: "Mars/Base",
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain("Enter a date on or after the first day, or leave it empty.");
    expect(bad.text).toContain("Choose a time zone from the list.");
    expect(bad.text).not.toContain("data-browser-zone");
    const refusedInFrench = await submit(
      owner,
      "/admin/programs",
      { name: "Été", startsOn: "bientôt", endsOn: "", timeZone: "Europe/Paris" },
      {
        "accept-language": "fr",
      },
    );
    expect(refusedInFrench.status).toBe(422);
    expect(refusedInFrench.text).toContain("Saisissez le premier jour, sous forme de date.");
    expect(refusedInFrench.text).not.toContain("must be");
    expect((await api("GET", "/v1/programs", { key })).body.programs).toEqual([]);

    const made = await submit(owner, "/admin/programs", {
      name: "Summer 2031",
      startsOn: "2031-07-01",
      endsOn: "",
      timeZone: "Europe/Paris",
    });
    expect(made.status).toBe(303);
    const [program] = (await api("GET", "/v1/programs", { key })).body.programs;
    expect(program).toMatchObject({ name: "Summer 2031", startsOn: "2031-07-01", endsOn: null, timeZone: "Europe/Paris" });
    expect(made.location).toBe(`/admin/programs/${program.id}?notice=programCreated`);
    const page = await browse("GET", made.location!, { cookie: owner.cookie });
    expect(page.text).toContain("Program created.");
    expect(page.text).toContain(`href="/admin/programs/${program.id}/edit"`);

    // Its first day written out in the admin's language, not as 2031-07-01.
    expect(page.text).toMatch(/Starts on Tuesday,? 1 July 2031\s*\(Europe\/Paris\)/);
    const french = await browse("GET", "/admin/programs", { cookie: owner.cookie, headers: { "accept-language": "fr" } });
    expect(french.text).toContain("Créer un programme");
    expect(french.text).toContain("Début mardi 1er juillet 2031");
    expect(french.text).not.toContain("2031-07-01");
  });

  it("shows a new program where to attach sessions and assign groups, and names it on its edit page", async () => {
    const { key, owner } = await signedInOwner();
    const program = (await api("POST", "/v1/programs", { key, body: { name: "Summer", startsOn: "2031-07-01", timeZone: "UTC" } })).body;
    const base = `/admin/programs/${program.id}`;
    const page = await browse("GET", base, { cookie: owner.cookie });
    expect(page.text).toContain(`No sessions attached. <a href="${base}/edit#attach">Attach a session</a>`);
    expect(page.text).toContain(`No groups assigned. <a href="${base}/edit#assign">Assign a group</a>`);
    const edit = await browse("GET", `${base}/edit`, { cookie: owner.cookie });
    expect(edit.text).toContain("<h1>Edit “Summer”</h1>");
    expect(edit.text).toMatch(/<form method="post" action="[^"]+\/sessions" class="card" id="attach"/);
    expect(edit.text).toMatch(/<form method="post" action="[^"]+\/groups" class="card" id="assign"/);
    const fr = { "accept-language": "fr" };
    const french = await browse("GET", base, { cookie: owner.cookie, headers: fr });
    expect(french.text).toContain(`Aucune séance rattachée. <a href="${base}/edit#attach">Rattacher une séance</a>`);
    expect(french.text).toContain(`Aucun groupe assigné. <a href="${base}/edit#assign">Assigner un groupe</a>`);
    expect((await browse("GET", `${base}/edit`, { cookie: owner.cookie, headers: fr })).text).toContain(
      "<h1>Modifier «\u00a0Summer\u00a0»</h1>",
    );
  });

  it("edits it, attaches and detaches a session, assigns and unassigns a group, each through the API's functions", async () => {
    const { key, owner } = await signedInOwner();
    const program = (await api("POST", "/v1/programs", { key, body: { name: "Summer", startsOn: "2031-07-01", timeZone: "UTC" } })).body;
    const s = await newSession(key, { title: "Week 1" });
    const group = (await api("POST", "/v1/groups", { key, body: { name: "Cohort A" } })).body;
    const ada = (await api("POST", "/v1/contacts", { key, body: { email: "ada@example.org" } })).body;
    await api("POST", `/v1/groups/${group.id}/members`, { key, body: { contactIds: [ada.id] } });
    const base = `/admin/programs/${program.id}`;

    const edit = await browse("GET", `${base}/edit`, { cookie: owner.cookie });
    expect(edit.status).toBe(200);
    expect(edit.text).toMatch(new RegExp(`<option value="${s.id}"[^>]*>Week 1 — `));
    expect(edit.text).toContain(`<option value="${group.id}">Cohort A (1)</option>`);
    expect(edit.text).toContain('<label for="locale">Language of the invitations</label>');
    expect(edit.text).toContain(`<option value="" selected="">The organisation&#39;s default</option>`);

    const saved = await submit(owner, base, {
      name: "Summer 2031",
      startsOn: "2031-07-01",
      endsOn: "2031-08-31",
      timeZone: "Europe/Paris",
      locale: "fr",
    });
    expect(saved.status).toBe(303);
    expect(await programOf(key, program.id)).toMatchObject({
      name: "Summer 2031",
      endsOn: "2031-08-31",
      timeZone: "Europe/Paris",
      locale: "fr",
    });
    const again = await browse("GET", `${base}/edit`, { cookie: owner.cookie });
    expect(again.text).toContain('<option value="fr" selected="">Français</option>');
    expect((await browse("GET", base, { cookie: owner.cookie })).text).toContain("(Europe/Paris) · Language of the invitations: Français");

    // No group yet: attaching starts nothing, and the edit page says so.
    const attached = await submit(owner, `${base}/sessions`, { sessionId: s.id });
    expect(attached.location).toBe(`${base}/edit?notice=sessionAttached`);
    expect((await programOf(key, program.id)).sessions.map((x: any) => x.id)).toEqual([s.id]);
    expect(await jobsOf(key, program.id)).toEqual([]);

    // Assigning a group to a program with a session invites its members: the admin lands on the job.
    const assigned = await submit(owner, `${base}/groups`, { groupId: group.id });
    const jobs = await jobsOf(key, program.id);
    expect(jobs).toEqual([expect.objectContaining({ trigger: "groups", people: 1, sessions: 1 })]);
    expect(assigned.location).toBe(`${base}?notice=inviting#job-${jobs[0].id}`);
    expect((await programOf(key, program.id)).groups.map((g: any) => g.id)).toEqual([group.id]);

    // A session of another program is refused, naming why.
    const other = (await api("POST", "/v1/programs", { key, body: { name: "Other", startsOn: "2031-07-01", timeZone: "UTC" } })).body;
    const taken = await submit(owner, `/admin/programs/${other.id}/sessions`, { sessionId: s.id });
    expect(taken.status).toBe(409);
    expect(taken.text).toContain("This session belongs to another program already");

    expect((await submit(owner, `${base}/groups/unassign`, { groupId: group.id })).status).toBe(303);
    expect((await submit(owner, `${base}/sessions/detach`, { sessionId: s.id })).status).toBe(303);
    expect(await programOf(key, program.id)).toMatchObject({ sessions: [], groups: [] });
  });

  it("invites ticked groups (or the assigned ones) to the program and shows the job's progress, updated in place while it runs", async () => {
    const { key, owner } = await signedInOwner();
    const program = (await api("POST", "/v1/programs", { key, body: { name: "Summer", startsOn: "2031-07-01", timeZone: "UTC" } })).body;
    const sessions = [await newSession(key, { title: "Week 1" }), await newSession(key, { title: "Week 2" })];
    await api("POST", `/v1/programs/${program.id}/sessions`, { key, body: { sessionIds: sessions.map((x) => x.id) } });
    const group = (await api("POST", "/v1/groups", { key, body: { name: "Cohort A" } })).body;
    const people = (await api("POST", "/v1/contacts", { key, body: { recipients: "a@example.org, b@example.org, c@example.org" } })).body;
    await api("POST", `/v1/groups/${group.id}/members`, { key, body: { contactIds: people.created.map((x: any) => x.id) } });

    const edit = await browse("GET", `/admin/programs/${program.id}/edit`, { cookie: owner.cookie });
    expect(edit.text).toContain('<h2 id="invite">Invite to the program</h2>');
    // The email's own words show where the organiser may write theirs (seed 002).
    expect(edit.text).toContain("<summary>The email&#39;s words (optional)</summary>");
    expect(edit.text).toMatch(
      /<input id="subject" name="subject" type="text" value="" maxlength="200" placeholder="You&#39;re invited: Summer"/,
    );
    expect(edit.text).toContain('placeholder="See the sessions and answer"');
    const res = await submit(owner, `/admin/programs/${program.id}/invitations`, {
      groupIds: group.id,
      holdSeat: "on",
      subject: "",
      buttonText: "Choose your weeks",
      message: "Bring boots.",
    });
    expect(res.status).toBe(303);
    const [job] = await jobsOf(key, program.id);
    expect(job).toMatchObject({
      trigger: "invitations",
      people: 3,
      sessions: 2,
      total: 6,
      holdSeat: true,
      subject: null,
      buttonText: "Choose your weeks",
      message: "Bring boots.",
    });
    expect(res.location).toBe(`/admin/programs/${program.id}?notice=inviting#job-${job.id}`);
    const page = await browse("GET", res.location!, { cookie: owner.cookie });
    expect(page.text).toContain("Invitations started; their progress shows below.");
    expect(page.text).toMatch(/Inviting 3 people to 2 sessions: \d of 6/);
    // Nothing reloads the whole page on its own (a half-filled form would go): the jobs part is
    // brought up to date by the admin's script, with a Pause button, or by the Refresh link.
    expect(page.headers.get("refresh")).toBeNull();
    if (page.text.includes("Running;")) {
      expect(page.text).toContain('<div id="jobs" data-live-every="3">');
      expect(page.text).toMatch(
        /<button type="button" hidden="" data-live-toggle="jobs" data-paused-label="Resume updates" aria-pressed="false">\s*Pause updates\s*<\/button>/,
      );
      expect(page.text).toContain(`<a href="/admin/programs/${program.id}">Refresh</a>`);
    } else expect(page.text).toContain('<div id="jobs">');
  });

  it("refuses an invitation that would reach nobody, saying what to do: a group with nobody in it, a program with no session to come", async () => {
    const { key, owner } = await signedInOwner();
    const program = (await api("POST", "/v1/programs", { key, body: { name: "Summer", startsOn: "2025-07-01", timeZone: "UTC" } })).body;
    const empty = (await api("POST", "/v1/groups", { key, body: { name: "Nobody yet" } })).body;
    // No session attached yet.
    const early = await submit(owner, `/admin/programs/${program.id}/invitations`, { groupIds: empty.id });
    expect(early.status).toBe(409);
    expect(early.text).toContain("This program has no session still to come: attach one before inviting.");
    const s = await newSession(key, { title: "Week 1" });
    await api("POST", `/v1/programs/${program.id}/sessions`, { key, body: { sessionIds: [s.id] } });
    const nobody = await submit(owner, `/admin/programs/${program.id}/invitations`, { groupIds: empty.id });
    expect(nobody.status).toBe(422);
    expect(nobody.text).toContain("The groups ticked have nobody in them yet: add contacts to them, or tick others.");
    const french = await submit(owner, `/admin/programs/${program.id}/invitations`, { groupIds: empty.id }, { "accept-language": "fr" });
    expect(french.text).toContain("Les groupes cochés n’ont encore personne : ajoutez-y des contacts, ou cochez-en d’autres.");
    expect(await jobsOf(key, program.id)).toEqual([]);
  });

  it('keeps the program emails to send, says so beside the job, and sends them from its button (seed 002: "send them an invitation later")', async () => {
    const { key, owner } = await signedInOwner();
    const program = (await api("POST", "/v1/programs", { key, body: { name: "Summer", startsOn: "2025-07-01", timeZone: "UTC" } })).body;
    const s = await newSession(key, { title: "Week 1" });
    await api("POST", `/v1/programs/${program.id}/sessions`, { key, body: { sessionIds: [s.id] } });
    const group = (await api("POST", "/v1/groups", { key, body: { name: "Cohort A" } })).body;
    const people = (await api("POST", "/v1/contacts", { key, body: { recipients: "a@example.org, b@example.org" } })).body;
    await api("POST", `/v1/groups/${group.id}/members`, { key, body: { contactIds: people.created.map((x: any) => x.id) } });

    const edit = await browse("GET", `/admin/programs/${program.id}/edit`, { cookie: owner.cookie });
    expect(edit.text).toContain("<legend>Program email</legend>");
    expect(edit.text).toContain('<input type="radio" id="send-now" name="send" value="now" checked=""/>');
    expect(edit.text).toContain('<label for="send-later">Keep it to send later (from this program&#39;s page)</label>');
    const french = await browse("GET", `/admin/programs/${program.id}/edit`, {
      cookie: owner.cookie,
      headers: { "accept-language": "fr" },
    });
    expect(french.text).toContain("<legend>E-mail du programme</legend>");

    // Nothing ticked and no group assigned: nobody to invite, and no empty job started.
    const nobody = await submit(owner, `/admin/programs/${program.id}/invitations`, { send: "later" });
    expect(nobody.status).toBe(422);
    expect(nobody.text).toContain("Tick a group to invite, or assign one to the program first.");
    expect(await jobsOf(key, program.id)).toEqual([]);

    const res = await submit(owner, `/admin/programs/${program.id}/invitations`, { groupIds: group.id, send: "later" });
    expect(res.status).toBe(303);
    const [job] = await jobsOf(key, program.id);
    expect(job).toMatchObject({ people: 2, send: "later" });
    const sendPath = `/admin/programs/${program.id}/jobs/${job.id}/send`;
    const page = await browse("GET", `/admin/programs/${program.id}`, { cookie: owner.cookie });
    expect(page.text).toContain("Program emails kept to send: nobody has been emailed yet.");
    expect(page.text).toContain(`action="${sendPath}"`);
    const frenchPage = await browse("GET", `/admin/programs/${program.id}`, { cookie: owner.cookie, headers: { "accept-language": "fr" } });
    expect(frenchPage.text).toContain("E-mails du programme gardés à envoyer : personne n’a encore rien reçu.");

    // Another org's member cannot send them.
    const stranger = (await signedInOwner("Other camp")).owner;
    expect((await submit(stranger, sendPath)).status).toBe(404);
    expect((await jobsOf(key, program.id))[0].send).toBe("later");

    // "Edit the email and send" (seed 002: "you can edit the invitation email before sending it").
    expect(page.text).toContain(`<a href="${sendPath}" aria-label="Edit the email and send (`);
    const editing = await browse("GET", sendPath, { cookie: owner.cookie });
    expect(editing.text).toContain("<h1>Send the program emails of Summer</h1>");
    expect(editing.text).toContain("2 people get the program email when you press Send: change its words first if you like.");
    expect(editing.text).toContain('<details class="email-words" open="">');
    expect((await browse("GET", sendPath, { cookie: stranger.cookie })).status).toBe(404);

    const sent = await submit(owner, sendPath, { words: "1", subject: "Summer <weeks>", buttonText: " ", message: "" });
    expect(sent.status).toBe(303);
    expect(sent.location).toBe(`/admin/programs/${program.id}?notice=sending#job-${job.id}`);
    expect((await jobsOf(key, program.id))[0]).toMatchObject({ send: "now", subject: "Summer <weeks>", buttonText: null, message: null });
    // Gone: its page leads back to the program, and new words are refused, saying why.
    expect((await browse("GET", sendPath, { cookie: owner.cookie })).status).toBe(303);
    const late = await submit(owner, sendPath, { words: "1", subject: "Other words", buttonText: "", message: "" });
    expect(late.status).toBe(409);
    expect(late.text).toContain("These invitations&#39; emails have gone already: their words can no longer change.");
    const after = await browse("GET", sent.location!, { cookie: owner.cookie });
    expect(after.text).toContain("Program emails on their way:");
    expect(after.text).not.toContain("Program emails kept to send");
  });

  it("deletes a program only after a confirmation naming it; its sessions stay", async () => {
    const { key, owner } = await signedInOwner();
    const program = (await api("POST", "/v1/programs", { key, body: { name: "Summer <2031>", startsOn: "2031-07-01", timeZone: "UTC" } }))
      .body;
    const s = await newSession(key);
    await api("POST", `/v1/programs/${program.id}/sessions`, { key, body: { sessionIds: [s.id] } });
    const confirm = await browse("GET", `/admin/programs/${program.id}/delete`, { cookie: owner.cookie });
    expect(confirm.text).toContain("Delete the program Summer &lt;2031&gt;?");
    expect((await api("GET", `/v1/programs/${program.id}`, { key })).status).toBe(200);
    const deleted = await submit(owner, `/admin/programs/${program.id}/delete`);
    expect(deleted.location).toBe("/admin/programs?notice=programDeleted");
    expect((await api("GET", `/v1/programs/${program.id}`, { key })).status).toBe(404);
    expect((await api("GET", `/v1/sessions/${s.id}`, { key })).status).toBe(200);
  });

  it("answers 404 to another org's member on every program route, changing nothing", async () => {
    const { key } = await signedInOwner();
    const program = (await api("POST", "/v1/programs", { key, body: { name: "Ours", startsOn: "2031-07-01", timeZone: "UTC" } })).body;
    const s = await newSession(key);
    const group = (await api("POST", "/v1/groups", { key, body: { name: "Cohort A" } })).body;
    await api("POST", `/v1/programs/${program.id}/sessions`, { key, body: { sessionIds: [s.id] } });
    await api("POST", `/v1/programs/${program.id}/groups`, { key, body: { groupIds: [group.id] } });
    const jobsBefore = (await jobsOf(key, program.id)).length;
    const stranger = (await signedInOwner("Other camp")).owner;
    const base = `/admin/programs/${program.id}`;
    for (const path of [base, `${base}/edit`, `${base}/delete`])
      expect((await browse("GET", path, { cookie: stranger.cookie })).status, path).toBe(404);
    const writes: [string, Record<string, string>][] = [
      [base, { name: "Theirs", startsOn: "2031-07-01", endsOn: "", timeZone: "UTC" }],
      [`${base}/sessions`, { sessionId: s.id }],
      [`${base}/sessions/detach`, { sessionId: s.id }],
      [`${base}/groups`, { groupId: group.id }],
      [`${base}/groups/unassign`, { groupId: group.id }],
      [`${base}/invitations`, {}],
      [`${base}/delete`, {}],
    ];
    for (const [path, form] of writes) expect((await submit(stranger, path, form)).status, path).toBe(404);
    expect(await programOf(key, program.id)).toMatchObject({
      name: "Ours",
      sessions: [expect.objectContaining({ id: s.id })],
      groups: [expect.objectContaining({ id: group.id })],
    });
    expect(await jobsOf(key, program.id)).toHaveLength(jobsBefore);
  });
});
