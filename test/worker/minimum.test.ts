// The minimum of participants, decided by the ledger's alarm at the session's decisionAt: exactly
// the minimum runs (the host counted when it counts), one below cancels or asks; a cancellation
// just before decisionAt counts; the question's one-click links are signed, single use, the first
// answer winning, and answer nothing for a stranger or another org's member.
import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { renderMail } from "../../worker/email/render";
import { signingKeys } from "../../worker/ids/signing-keys";
import type { SessionLedger } from "../../worker/ledger/ledger";
import { decisionToken } from "../../worker/sessions/decision-links";
import { decideMinimum, type MinimumPolicy } from "../../worker/sessions/minimum";
import { manualClock } from "../../worker/time/clock";
import { adminOrg, browse, ownerAndColleague, signedInOwner, submit } from "./admin-helpers";
import { api, expectProblem, hoursFromNow, newOrg, newSession, person, readSession, registered } from "./helpers";
import { captureMail, ledgerStub, mailSoFar } from "./invitation-helpers";

const HOUR = 3_600_000;

/** Moves the ledger's clock to `at` and runs its alarm, as when decisionAt comes. */
async function at(sessionId: string, when: string) {
  await runInDurableObject(ledgerStub(sessionId), (instance: SessionLedger) => {
    instance.clock = manualClock(when);
  });
  await runDurableObjectAlarm(ledgerStub(sessionId));
  await ledgerStub(sessionId).drain();
}

/** A session starting in 10 days, deciding 48 hours before, with `seated` people confirmed. */
async function sessionWith(seated: number, overrides: Record<string, unknown> = {}, org?: { key: string }) {
  const { key } = org ?? (await newOrg("Riverside Swim Club"));
  const startsAt = hoursFromNow(240);
  const s = await newSession(key, { title: "Beginner swim", startsAt, minParticipants: 3, maxParticipants: 10, ...overrides });
  const captured = await captureMail(s.id);
  const people = [];
  for (let i = 1; i <= seated; i++) people.push(await registered(s.id, person(i)));
  await ledgerStub(s.id).drain();
  captured.length = 0;
  const decisionAt = new Date(Date.parse(startsAt) - 48 * HOUR).toISOString();
  return { key, s, captured, people, startsAt, decisionAt };
}

const templates = (mail: any[]) => mail.map((m) => [m.template, m.to]).sort();

describe("decideMinimum", () => {
  const policy = (over: Partial<MinimumPolicy> = {}): MinimumPolicy => ({
    startsAt: "2027-01-10T10:00:00.000Z",
    createdAt: "2027-01-01T00:00:00.000Z",
    minParticipants: 3,
    hostCountsAsParticipant: false,
    decisionAt: null,
    belowMinimum: "cancel",
    status: "scheduled",
    decision: null,
    ...over,
  });
  const decisionAt = new Date("2027-01-08T10:00:00.000Z");
  const before = new Date(decisionAt.getTime() - 1);

  it("waits before decisionAt, then runs at exactly the minimum and cancels or asks one below", () => {
    expect(decideMinimum(policy(), 0, before)).toBe("wait");
    expect(decideMinimum(policy(), 3, decisionAt)).toBe("run");
    expect(decideMinimum(policy(), 2, decisionAt)).toBe("cancel");
    expect(decideMinimum(policy({ belowMinimum: "ask" }), 2, decisionAt)).toBe("ask");
  });

  it("counts the host when the host counts as a participant", () => {
    expect(decideMinimum(policy({ hostCountsAsParticipant: true }), 2, decisionAt)).toBe("run");
    expect(decideMinimum(policy({ hostCountsAsParticipant: true }), 1, decisionAt)).toBe("cancel");
  });

  it("decides nothing twice, nothing without a minimum, nothing after the start, and nothing for a session created after its decision time", () => {
    expect(decideMinimum(policy({ decision: "run" }), 0, decisionAt)).toBe("none");
    expect(decideMinimum(policy({ decision: "asked" }), 0, decisionAt)).toBe("none");
    expect(decideMinimum(policy({ minParticipants: 0 }), 0, decisionAt)).toBe("none");
    expect(decideMinimum(policy({ status: "cancelled" }), 0, decisionAt)).toBe("none");
    expect(decideMinimum(policy(), 0, new Date("2027-01-10T10:00:00.000Z"))).toBe("none");
    expect(decideMinimum(policy({ createdAt: "2027-01-09T00:00:00.000Z" }), 0, new Date("2027-01-09T01:00:00.000Z"))).toBe("none");
  });

  it("uses the session's own decisionAt when it has one", () => {
    const own = policy({ decisionAt: "2027-01-09T10:00:00.000Z" });
    expect(decideMinimum(own, 0, decisionAt)).toBe("wait");
    expect(decideMinimum(own, 0, new Date("2027-01-09T10:00:00.000Z"))).toBe("cancel");
  });
});

describe("the fields", () => {
  it("default to 48 hours before the start and cancel, and are shown with the pending decision", async () => {
    const { key, s, startsAt, decisionAt } = await sessionWith(1);
    const read = await readSession(key, s.id);
    expect(read).toMatchObject({ decisionAt: null, belowMinimum: "cancel" });
    expect(read.minimum).toEqual({ decisionAt, decision: "pending", askedAt: null, decidedAt: null, decidedBy: null, moreNeeded: 2 });
    expect(Date.parse(startsAt) - Date.parse(read.minimum.decisionAt)).toBe(48 * HOUR);
  });

  it("refuses a decisionAt at or after the start, and in an edit one in the past, naming the field", async () => {
    const { key } = await newOrg();
    const startsAt = hoursFromNow(100);
    for (const decisionAt of [startsAt, hoursFromNow(101)]) {
      const res = await api("POST", "/v1/sessions", { key, body: { ...sessionBodyOf(startsAt), decisionAt } });
      expectProblem(res, "validation_failed");
      expect(res.body.errors).toContainEqual(expect.objectContaining({ path: "decisionAt" }));
    }
    expectProblem(
      await api("POST", "/v1/sessions", { key, body: { ...sessionBodyOf(startsAt), belowMinimum: "maybe" } }),
      "validation_failed",
    );
    const s = await newSession(key, { startsAt, decisionAt: hoursFromNow(50), belowMinimum: "ask" });
    expect(s).toMatchObject({ belowMinimum: "ask", decisionAt: new Date(s.decisionAt).toISOString() });
    const past = await api("PATCH", `/v1/sessions/${s.id}`, { key, body: { decisionAt: hoursFromNow(-1) } });
    expectProblem(past, "validation_failed");
    expect(past.body.errors).toContainEqual(expect.objectContaining({ path: "decisionAt" }));
    expect((await readSession(key, s.id)).decisionAt).toBe(s.decisionAt);
  });

  it("tells the public how many more are needed before the decision, and 0 once it runs", async () => {
    const { s, decisionAt } = await sessionWith(1);
    const before = await api("GET", `/v1/public/sessions/${s.id}`);
    expect(before.body).toMatchObject({ minParticipants: 3, moreNeeded: 2, seats: { confirmed: 1 } });
    await registered(s.id, person(2));
    await registered(s.id, person(3));
    await at(s.id, decisionAt);
    expect((await api("GET", `/v1/public/sessions/${s.id}`)).body.moreNeeded).toBe(0);
  });
});

function sessionBodyOf(startsAt: string) {
  return {
    title: "Swim",
    description: "A morning together.",
    startsAt,
    timeZone: "Europe/Paris",
    durationMinutes: 60,
    minParticipants: 2,
    maxParticipants: 5,
  };
}

describe("at decisionAt", () => {
  it("does nothing a moment before", async () => {
    const { key, s, captured, decisionAt } = await sessionWith(1);
    await at(s.id, new Date(Date.parse(decisionAt) - 1000).toISOString());
    expect((await readSession(key, s.id)).minimum.decision).toBe("pending");
    expect(await mailSoFar(s.id, captured)).toEqual([]);
  });

  it("runs the session at exactly the minimum and tells each confirmed participant it is on, in their language, once", async () => {
    const { key, s, captured, decisionAt } = await sessionWith(2);
    await registered(s.id, { ...person(3), locale: "fr" });
    await ledgerStub(s.id).drain();
    captured.length = 0;
    await at(s.id, decisionAt);
    const read = await readSession(key, s.id);
    expect(read.status).toBe("scheduled");
    expect(read.minimum).toMatchObject({ decision: "run", decidedAt: decisionAt, decidedBy: "system", moreNeeded: 0 });
    const mail = await mailSoFar(s.id, captured);
    expect(templates(mail)).toEqual([1, 2, 3].map((i) => ["minimum_met", `person${i}@example.org`]));
    const en = renderMail(
      mail.find((m) => m.to === "person1@example.org"),
      new Date(),
      { orgName: "Riverside Swim Club" } as never,
    );
    expect(en.subject).toBe("It's on: Beginner swim");
    expect(en.text).toContain("Beginner swim, organised by Riverside Swim Club, will take place as planned");
    const fr = renderMail(
      mail.find((m) => m.to === "person3@example.org"),
      new Date(),
      { orgName: "Riverside Swim Club" } as never,
    );
    expect(fr.subject).toBe("C’est confirmé : Beginner swim");
    expect(fr.text).toContain("Beginner swim (Riverside Swim Club) aura bien lieu");
    // The alarm again, later: nothing more.
    await at(s.id, new Date(Date.parse(decisionAt) + HOUR).toISOString());
    expect((await mailSoFar(s.id, captured)).length).toBe(3);
  });

  it("counts the host: two confirmed and a host who counts make a minimum of three", async () => {
    const { key, s, captured, decisionAt } = await sessionWith(2, { hostCountsAsParticipant: true });
    await at(s.id, decisionAt);
    expect((await readSession(key, s.id)).minimum.decision).toBe("run");
    expect(templates(await mailSoFar(s.id, captured))).toEqual([1, 2].map((i) => ["minimum_met", `person${i}@example.org`]));
  });

  it("cancels one below the minimum: everyone told why, with the calendar cancellation, and nothing is left open", async () => {
    const { key, s, captured, decisionAt } = await sessionWith(2);
    await at(s.id, decisionAt);
    const read = await readSession(key, s.id);
    expect(read.status).toBe("cancelled");
    expect(read.registrationState).toBe("cancelled");
    expect(read.minimum).toMatchObject({ decision: "cancelled", decidedBy: "system", decidedAt: decisionAt });
    const mail = await mailSoFar(s.id, captured);
    expect(templates(mail)).toEqual([1, 2].map((i) => ["session_cancelled", `person${i}@example.org`]));
    const rendered = renderMail(mail[0]);
    expect(rendered.text).toContain("Too few people had registered for it to run.");
    expect(rendered.attachments?.[0]?.content && atob(rendered.attachments[0].content)).toContain("METHOD:CANCEL");
    const fr = renderMail({ ...mail[0], locale: "fr" });
    expect(fr.text).toContain("Il n’y avait pas assez d’inscrits pour qu’elle ait lieu.");
  });

  it("counts a cancellation made just before decisionAt", async () => {
    const { key, s, people, decisionAt } = await sessionWith(3);
    await runInDurableObject(ledgerStub(s.id), (instance: SessionLedger) => {
      instance.clock = manualClock(new Date(Date.parse(decisionAt) - 60_000));
    });
    expect((await api("POST", `/v1/manage/${people[0]!.manageToken}/cancel`)).status).toBe(200);
    await at(s.id, decisionAt);
    expect((await readSession(key, s.id)).status).toBe("cancelled");
  });

  it("is not taken for a session created after its decision time", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { startsAt: hoursFromNow(24), minParticipants: 3 });
    await at(s.id, hoursFromNow(1));
    const read = await readSession(key, s.id);
    expect(read.status).toBe("scheduled");
    expect(read.minimum.decision).toBe("pending");
  });
});

describe("asking the members", () => {
  async function asked() {
    const org = await ownerAndColleague();
    const setup = await sessionWith(1, { belowMinimum: "ask" }, org);
    await at(setup.s.id, setup.decisionAt);
    const mail = (await mailSoFar(setup.s.id, setup.captured)).filter((m) => m.template === "minimum_ask");
    return { ...setup, org, mail };
  }
  const pathOf = (link: string) => new URL(link).pathname;

  it("emails each owner and admin two one-click links, and keeps the session as it is", async () => {
    const { key, s, org, mail, captured } = await asked();
    expect(mail.map((m) => m.to).sort()).toEqual([org.ownerEmail, org.colleague.email].sort());
    expect(new Set(mail.map((m) => m.data.runLink)).size).toBe(2);
    const read = await readSession(key, s.id);
    expect(read.status).toBe("scheduled");
    expect(read.minimum).toMatchObject({ decision: "asked", decidedAt: null });
    expect((await mailSoFar(s.id, captured)).filter((m) => m.template !== "minimum_ask")).toEqual([]);
    const rendered = renderMail(mail[0]);
    expect(rendered.subject).toBe("Run or cancel? Beginner swim has not reached its minimum");
    expect(rendered.text).toContain("needs at least 3 participants and has 1");
    expect(rendered.html).toContain(mail[0].data.runLink);
    expect(rendered.html).toContain(mail[0].data.cancelLink);
    expect(renderMail({ ...mail[0], locale: "fr" }).subject).toBe("Maintenir ou annuler ? Beginner swim n’a pas atteint son minimum");
  });

  it("decides nothing when a link is opened (a mail scanner), and cancels when the button is pressed", async () => {
    const { key, s, mail: all, captured, org } = await asked();
    const mail = all.filter((m) => m.to === org.ownerEmail);
    const page = await browse("GET", pathOf(mail[0].data.cancelLink));
    expect(page.status).toBe(200);
    expect(page.text).toContain("Cancel the session");
    expect((await readSession(key, s.id)).minimum.decision).toBe("asked");
    const done = await browse("POST", pathOf(mail[0].data.cancelLink));
    expect(done.status).toBe(200);
    const read = await readSession(key, s.id);
    expect(read.status).toBe("cancelled");
    expect(read.minimum).toMatchObject({ decision: "cancelled", decidedBy: org.ownerEmail });
    const told = (await mailSoFar(s.id, captured)).filter((m) => m.template === "session_cancelled");
    expect(told.map((m) => [m.to, m.data.reason])).toEqual([["person1@example.org", "minimum_not_met"]]);
  });

  it("runs anyway on the first answer; the second click is told what was decided and by whom, and changes nothing", async () => {
    const { key, s, mail: all, captured, org } = await asked();
    const colleague = all.find((m) => m.to === org.colleague.email);
    const mail = [all.find((m) => m.to === org.ownerEmail), colleague];
    expect((await browse("POST", pathOf(colleague.data.runLink))).status).toBe(200);
    const read = await readSession(key, s.id);
    expect(read.minimum).toMatchObject({ decision: "run", decidedBy: org.colleague.email });
    expect((await mailSoFar(s.id, captured)).filter((m) => m.template === "minimum_met").map((m) => m.to)).toEqual(["person1@example.org"]);
    const before = (await mailSoFar(s.id, captured)).length;
    for (const link of mail.flatMap((m) => [m.data.runLink, m.data.cancelLink])) {
      const again = await browse("POST", pathOf(link));
      expect(again.status).toBe(409);
      expect(again.text).toContain(`Already decided: it runs, by ${org.colleague.email}.`);
      const opened = await browse("GET", pathOf(link));
      expect(opened.text).toContain(`Already decided: it runs, by ${org.colleague.email}.`);
      expect(opened.text).not.toContain("<form");
    }
    expect((await readSession(key, s.id)).status).toBe("scheduled");
    expect((await mailSoFar(s.id, captured)).length).toBe(before);
  });

  it("refuses a forged or altered link, and a link signed for another org's member", async () => {
    const { key, s, mail } = await asked();
    const path = pathOf(mail[0].data.runLink);
    // A removed member's link answers nothing either.
    await env.DB.batch([
      env.DB.prepare("DELETE FROM admin_sessions WHERE member_id IN (SELECT id FROM members WHERE email = ?)").bind(mail[1].to),
      env.DB.prepare("DELETE FROM members WHERE email = ?").bind(mail[1].to),
    ]);
    const [sessionId, memberId, , keyId, mac] = path.split("/").pop()!.split(".");
    const forged = [
      `/admin/decide/${sessionId}.${memberId}.cancel.${keyId}.${mac}`,
      `/admin/decide/${sessionId}.${memberId}.run.${keyId}.${mac!.slice(0, -2)}AA`,
      `/admin/decide/nonsense`,
      pathOf(mail[1].data.cancelLink),
    ];
    const stranger = await adminOrg("Another club");
    const strangerId = (await env.DB.prepare("SELECT id FROM members WHERE org_id = ?").bind(stranger.orgId).first<{ id: string }>())!.id;
    const signed = await decisionToken(await signingKeys(env), { sessionId: s.id, memberId: strangerId, answer: "cancel" });
    forged.push(`/admin/decide/${signed}`);
    for (const p of forged) {
      expect((await browse("GET", p)).status).toBe(404);
      expect((await browse("POST", p)).status).toBe(404);
    }
    expect((await readSession(key, s.id)).minimum.decision).toBe("asked");
  });

  it("lets the session run when nobody answers before it starts", async () => {
    const { key, s, startsAt, captured } = await asked();
    await at(s.id, startsAt);
    const read = await readSession(key, s.id);
    expect(read.status).toBe("scheduled");
    expect(read.minimum).toMatchObject({ decision: "run", decidedBy: "system" });
    expect((await mailSoFar(s.id, captured)).filter((m) => m.template === "minimum_met")).toEqual([]);
  });

  it("says on the admin's session page, before the decision time, that the decision is still to come", async () => {
    const { key, owner } = await signedInOwner();
    const s = await newSession(key, { startsAt: hoursFromNow(24 * 30), minParticipants: 3 });
    const page = await browse("GET", `/admin/sessions/${s.id}`, { cookie: owner.cookie });
    expect(page.text).toMatch(/<p role="status">To be decided on [^<]+\.<\/p>/);
    expect(page.text).not.toMatch(/<p role="status">Decided on /);
    const fr = await browse("GET", `/admin/sessions/${s.id}`, { cookie: owner.cookie, headers: { "accept-language": "fr" } });
    expect(fr.text).toMatch(/<p role="status">À décider le [^<]+\.<\/p>/);
  });

  it("shows the decision on the admin's session page, with the two buttons while asked", async () => {
    const { s, org } = await asked();
    const page = await browse("GET", `/admin/sessions/${s.id}`, { cookie: org.owner.cookie });
    expect(page.text).toContain("Below the minimum: the members were asked");
    expect(page.text).toContain("Run anyway");
    const answered = await submit(org.owner, `/admin/sessions/${s.id}/minimum`, { answer: "run" });
    expect(answered.status).toBe(303);
    const after = await browse("GET", `/admin/sessions/${s.id}`, { cookie: org.owner.cookie });
    expect(after.text).toContain("Runs: decided on");
    expect(after.text).not.toContain(`/admin/sessions/${s.id}/minimum`);
  });
});

describe("the admin's session form", () => {
  const form = (overrides: Record<string, string> = {}) => ({
    title: "Forest camp",
    description: "A morning together.",
    startsAtLocal: "2031-07-05T09:00",
    timeZone: "Europe/Paris",
    durationMinutes: "180",
    minParticipants: "4",
    maxParticipants: "12",
    registrationOpensAtLocal: "",
    registrationClosesAtLocal: "",
    registrationCode: "",
    ...overrides,
  });

  it("takes the decision time in the session's zone and what to do below the minimum, and shows them again to edit", async () => {
    const { owner, key } = await signedInOwner();
    const created = await submit(owner, "/admin/sessions", form({ decisionAtLocal: "2031-07-01T18:00", belowMinimum: "ask" }));
    expect(created.status).toBe(303);
    const id = created.location!.split("/")[3]!.split("?")[0]!;
    const s = (await api("GET", `/v1/sessions/${id}`, { key })).body;
    expect(s).toMatchObject({ decisionAt: "2031-07-01T16:00:00.000Z", belowMinimum: "ask" });
    const edit = await browse("GET", `/admin/sessions/${id}/edit`, { cookie: owner.cookie });
    expect(edit.text).toMatch(/id="decisionAtLocal"[^>]*value="2031-07-01T18:00"/);
    expect(edit.text).toMatch(/<option value="ask" selected/);
    // Emptied, it goes back to 48 hours before the start.
    expect((await submit(owner, `/admin/sessions/${id}/edit`, form({ belowMinimum: "cancel" }))).status).toBe(303);
    const after = (await api("GET", `/v1/sessions/${id}`, { key })).body;
    expect(after).toMatchObject({ decisionAt: null, belowMinimum: "cancel", minimum: { decisionAt: "2031-07-03T07:00:00.000Z" } });
  });

  it("marks a decision time after the start", async () => {
    const { owner } = await signedInOwner();
    const res = await submit(owner, "/admin/sessions", form({ decisionAtLocal: "2031-07-06T09:00" }));
    expect(res.status).toBe(422);
    expect(res.text).toMatch(/id="decisionAtLocal"[^>]*aria-invalid="true"/);
    expect(res.text).toContain("Must be before the session starts, and in the future.");
  });
});
