// Program invitations that reach people: once a fan-out job is done, one email per person for the
// program (never one per session, never twice for the same sessions), sent on the program's
// first day when it has not started; the program page that email links to; and the cron's sweep
// that finishes jobs whose chunks never reached the queue.
import { createExecutionContext, createMessageBatch, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import type { MailBundle, MailMessage, QueuedMail } from "../../worker/email/message";
import { renderMail } from "../../worker/email/render";
import worker from "../../worker/index";
import { createInvitationJob, type FanoutQueueMessage, handleFanoutQueue, readJob, sendKeptJob } from "../../worker/programs/fanout";
import { type ProgramMailMessage, queueDueProgramMail, wordsOf } from "../../worker/programs/mailing";
import type { QueuedSms } from "../../worker/sms/message";
import { instant } from "../../worker/time/when";
import { browse } from "./admin-helpers";
import { devCheckout } from "./dev-checkout-helpers";
import { runQueue } from "./email-helpers";
import { api, DEV_BASE, newOrg, newSession, readSession, registered, roster } from "./helpers";
import { captureMail, invited as invitedDirectly, listInvitations, mailSoFar, QUESTIONS } from "./invitation-helpers";
import { stripeAccount } from "./stripe-helpers";

type World = { key: string; orgId: string; programId: string; sessionIds: string[]; contactIds: string[]; emails: string[] };

/** An org, `people` contacts (the first one speaking `locale`), and a program of `sessions` sessions from June 2027. */
async function world(
  people: number,
  sessions: number,
  label: string,
  program: { startsOn?: string; timeZone?: string; endsOn?: string; locale?: "en" | "fr" } = {},
  session: Record<string, unknown> = {},
  locale: "en" | "fr" | null = null,
): Promise<World> {
  const { key, orgId } = await newOrg("Forest <Camp>");
  const emails = Array.from({ length: people }, (_, i) => `${label}${i}@example.org`);
  const contactIds: string[] = [];
  for (const [i, email] of emails.entries()) {
    const res = await api("POST", "/v1/contacts", {
      key,
      body: { email, firstName: i === 0 ? "Zoé <b>" : `Trainee${i}`, lastName: "Test", locale: i === 0 ? locale : null },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    contactIds.push(res.body.id);
  }
  const sessionIds: string[] = [];
  for (let i = 0; i < sessions; i++)
    sessionIds.push(
      (await newSession(key, { title: `Week ${i + 1}`, startsAt: `2027-06-${String(1 + i * 7).padStart(2, "0")}T08:00:00Z`, ...session }))
        .id,
    );
  const created = await api("POST", "/v1/programs", {
    key,
    body: {
      name: "Autumn & <training>",
      startsOn: program.startsOn ?? "2026-01-01",
      timeZone: program.timeZone ?? "UTC",
      endsOn: program.endsOn,
      locale: program.locale,
    },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  await api("POST", `/v1/programs/${created.body.id}/sessions`, { key, body: { sessionIds } });
  return { key, orgId, programId: created.body.id, sessionIds, contactIds, emails };
}

/** An env whose fan-out and mail queues keep what is sent, for the test to deliver (and deliver again). */
function held() {
  const fanout: FanoutQueueMessage[] = [];
  const mail: MailMessage[] = [];
  const bindings = {
    ...env,
    FANOUT_QUEUE: { sendBatch: async (messages: { body: FanoutQueueMessage }[]) => void fanout.push(...messages.map((m) => m.body)) },
    MAIL_QUEUE: { send: async (body: QueuedMail) => void mail.push(...(body as MailBundle).messages) },
  } as unknown as Env;
  return { fanout, mail, env: bindings };
}

/** Runs the fan-out consumer on these messages as the platform would (what they queue lands in `h`). */
async function deliver(h: ReturnType<typeof held>, messages: FanoutQueueMessage[]) {
  const batch = createMessageBatch<FanoutQueueMessage>(
    "rollcall-fanout",
    messages.map((body, i) => ({ id: `m${i}-${Math.random()}`, timestamp: new Date(), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await handleFanoutQueue(batch, h.env);
  await waitOnExecutionContext(ctx);
}

/** Delivers every queued fan-out message, and what they queue, until the queue is empty. */
async function drainFanout(h: ReturnType<typeof held>) {
  while (h.fanout.length) await deliver(h, h.fanout.splice(0));
}

async function inviteAll(h: ReturnType<typeof held>, w: World, sessionIds?: string[], send: "now" | "later" = "now") {
  const job = await createInvitationJob(
    h.env,
    { orgId: w.orgId, programId: w.programId, trigger: "invitations", contactIds: w.contactIds, sessionIds, send },
    new Date(),
  );
  expect(job.ok).toBe(true);
  return job.ok ? job.value.id : "";
}

const programMail = (mail: MailMessage[]) => mail.filter((m) => m.template === "program_invitation") as MailMessage<"program_invitation">[];
const tokenOf = (m: MailMessage<"program_invitation">) => m.data.link.split("/programs/i/")[1]!;

async function runCron(bindings: Env, at: string) {
  const log = console.log;
  console.log = () => {};
  try {
    await worker.scheduled(createScheduledController({ scheduledTime: new Date(at), cron: "17 * * * *" }), bindings);
  } finally {
    console.log = log;
  }
}

describe("program invitation emails", () => {
  it("sends each person one email naming every session, moves the invitations to sent, and sends no per-session invitation", async () => {
    const w = await world(3, 3, "one");
    const h = held();
    const perSession = await Promise.all(w.sessionIds.map((id) => captureMail(id)));
    await inviteAll(h, w);
    await drainFanout(h);
    const mails = programMail(h.mail);
    expect(mails.map((m) => m.to).sort()).toEqual([...w.emails].sort());
    for (const m of mails) {
      expect(m.data.sessions.map((s) => s.title)).toEqual(["Week 1", "Week 2", "Week 3"]);
      expect(m.data).toMatchObject({ programName: "Autumn & <training>", more: false });
      expect(m.data.link).toMatch(/^https:\/\/rollcall\.test\/programs\/i\/[A-Za-z0-9_-]{43}$/);
    }
    for (const id of w.sessionIds) {
      const invitations = await listInvitations(w.key, id);
      expect(invitations.map((i) => i.status)).toEqual(["sent", "sent", "sent"]);
    }
    // Drained ledgers: what they decided to mail is in `perSession` or still in their outbox; none of it is an invitation.
    await Promise.all(w.sessionIds.map((id) => api("GET", `/v1/sessions/${id}/invitations`, { key: w.key })));
    expect(perSession.flat().filter((m) => m.template === "invitation")).toEqual([]);
    const rendered = renderMail(mails[0]!, new Date(), { orgName: "Forest <Camp>" } as never);
    expect(rendered.subject).toBe("You're invited: Autumn & <training>");
    expect(rendered.html).toContain("Forest &lt;Camp&gt; invites you to Autumn &amp; &lt;training&gt;: 3 sessions.");
    expect(rendered.text).toContain("Week 2");
    expect(rendered.text).toContain("Jun");
  });

  it("sends one email when every message is delivered twice and the cron races the job's own trigger", async () => {
    const w = await world(4, 2, "twice");
    const h = held();
    await inviteAll(h, w);
    const chunks = h.fanout.splice(0);
    await deliver(h, [...chunks, ...chunks]);
    const mailMessages = h.fanout.splice(0) as ProgramMailMessage[];
    expect(mailMessages.length).toBeGreaterThanOrEqual(1);
    // The same mail messages twice, and the cron's own pass at the same time.
    const cron = held();
    await queueDueProgramMail(cron.env, new Date());
    await Promise.all([deliver(h, [...mailMessages, ...mailMessages]), deliver(cron, cron.fanout.splice(0))]);
    const all = programMail([...h.mail, ...cron.mail]);
    expect(all.map((m) => m.to).sort()).toEqual([...w.emails].sort());
    // And again later: nothing is left to send.
    await deliver(h, mailMessages);
    await queueDueProgramMail(cron.env, new Date());
    await drainFanout(cron);
    expect(programMail([...h.mail, ...cron.mail])).toHaveLength(4);
  });

  it("sends every person their email when a job has more people than one mail message carries", async () => {
    const w = await world(1, 2, "many");
    const pasted = Array.from({ length: 120 }, (_, i) => `many-extra${i}@example.org`);
    const created = await api("POST", "/v1/contacts", { key: w.key, body: { recipients: pasted.join(", ") } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    w.contactIds.push(...created.body.created.map((c: { id: string }) => c.id));
    const h = held();
    await inviteAll(h, w);
    await deliver(h, h.fanout.splice(0));
    const mailMessages = h.fanout.splice(0) as ProgramMailMessage[];
    expect(mailMessages.map((m) => m.contactIds.length)).toEqual([50, 50, 21]);
    await deliver(h, mailMessages);
    const mails = programMail(h.mail);
    expect(mails).toHaveLength(121);
    expect(new Set(mails.map((m) => m.to)).size).toBe(121);
  });

  it("names only the new session in a later email when a session is attached later", async () => {
    const w = await world(2, 2, "later");
    const h = held();
    await inviteAll(h, w);
    await drainFanout(h);
    expect(programMail(h.mail)).toHaveLength(2);
    const added = (await newSession(w.key, { title: "Week 9", startsAt: "2027-08-01T08:00:00Z" })).id;
    await api("POST", `/v1/programs/${w.programId}/sessions`, { key: w.key, body: { sessionIds: [added] } });
    await inviteAll(h, w, [...w.sessionIds, added]);
    await drainFanout(h);
    const later = programMail(h.mail).slice(2);
    expect(later.map((m) => m.to).sort()).toEqual([...w.emails].sort());
    for (const m of later) expect(m.data).toMatchObject({ more: true, sessions: [expect.objectContaining({ title: "Week 9" })] });
    expect(renderMail(later[0]!).subject).toBe("New sessions: Autumn & <training>");
  });

  it("waits for a program's first day in its zone: the cron sends then, and not before", async () => {
    const w = await world(2, 2, "wait", { startsOn: "2027-03-10", timeZone: "Pacific/Auckland" });
    const h = held();
    await inviteAll(h, w);
    await drainFanout(h);
    expect(programMail(h.mail)).toEqual([]);
    for (const id of w.sessionIds) expect((await listInvitations(w.key, id)).map((i) => i.status)).toEqual(["draft", "draft"]);
    // 23:17 on the 9th in Auckland (UTC+13): not yet.
    const before = held();
    await runCron(before.env, "2027-03-09T10:17:00Z");
    await drainFanout(before);
    expect(programMail(before.mail)).toEqual([]);
    // 00:17 on the 10th in Auckland.
    const on = held();
    await runCron(on.env, "2027-03-09T11:17:00Z");
    await drainFanout(on);
    expect(
      programMail(on.mail)
        .map((m) => m.to)
        .sort(),
    ).toEqual([...w.emails].sort());
    for (const id of w.sessionIds) expect((await listInvitations(w.key, id)).map((i) => i.status)).toEqual(["sent", "sent"]);
  });

  it("writes the email in the person's language", async () => {
    const w = await world(2, 1, "langue", {}, {}, "fr");
    const h = held();
    await inviteAll(h, w);
    await drainFanout(h);
    const [fr] = programMail(h.mail).filter((m) => m.to === w.emails[0]);
    expect(fr!.locale).toBe("fr");
    const rendered = renderMail(fr!, new Date(), { orgName: "Forest <Camp>" } as never);
    expect(rendered.subject).toBe("Invitation : Autumn & <training>");
    expect(rendered.text).toContain("Bonjour Zoé <b> Test,");
    expect(rendered.html).toContain("Bonjour Zoé &lt;b&gt; Test,");
    expect(rendered.text).toContain("vous invite à Autumn & <training> : une séance.");
    expect(programMail(h.mail).find((m) => m.to === w.emails[1])!.locale).toBe("en");
  });

  it("writes it in the org's default language to a person who has none, and the session's invitation too", async () => {
    const w = await world(2, 1, "colonie", {}, {}, "en");
    expect((await api("PATCH", "/v1/org", { key: w.key, body: { settings: { defaultLocale: "fr" } } })).status).toBe(200);
    const h = held();
    await inviteAll(h, w);
    await drainFanout(h);
    const locales = Object.fromEntries(programMail(h.mail).map((m) => [m.to, m.locale]));
    expect(locales).toEqual({ [w.emails[0]!]: "en", [w.emails[1]!]: "fr" });
    const invitations = await listInvitations(w.key, w.sessionIds[0]!);
    expect(Object.fromEntries(invitations.map((i) => [i.email, i.locale]))).toEqual(locales);
  });
});

describe("the program email's words and dates (seed 002)", () => {
  it("carries the organiser's subject, button and message, escaped, and says until when the invitations are valid", async () => {
    const w = await world(2, 2, "words", {}, { location: "Lakeside <cabin>" });
    const h = held();
    const job = await createInvitationJob(
      h.env,
      {
        orgId: w.orgId,
        programId: w.programId,
        trigger: "invitations",
        contactIds: w.contactIds,
        subject: "Autumn starts <soon>",
        buttonText: "Pick your weeks",
        message: "Bring <boots> & a coat.",
      },
      new Date(),
    );
    expect(job.ok && job.value).toMatchObject({ subject: "Autumn starts <soon>", buttonText: "Pick your weeks" });
    await drainFanout(h);
    const [mail] = programMail(h.mail).filter((m) => m.to === w.emails[1]);
    const invitations = (await Promise.all(w.sessionIds.map((id) => listInvitations(w.key, id)))).flat();
    const expiries = invitations.filter((i) => i.email === w.emails[1]).map((i) => i.expiresAt as string);
    expect(expiries).toHaveLength(2);
    expect(mail!.data.expiresAt).toBe(expiries.sort()[0]);
    const rendered = renderMail(mail!, new Date(), { orgName: "Forest <Camp>" } as never);
    expect(rendered.subject).toBe("Autumn starts <soon>");
    expect(rendered.html).toContain("Bring &lt;boots&gt; &amp; a coat.");
    expect(rendered.html).toContain("Pick your weeks");
    expect(rendered.html).not.toContain("See the sessions and answer");
    expect(rendered.text).toContain("Lakeside <cabin>");
    expect(rendered.text).toMatch(/These invitations are valid until [A-Z][a-z]+, [A-Z][a-z]+ \d+, 20\d\d at /);
    expect(rendered.text).not.toContain("A seat is reserved");
  });

  it("says a seat is kept in each session when the invitations hold one, in French too, and keeps the email's own words when none are given", async () => {
    const w = await world(1, 2, "held", {}, {}, "fr");
    const h = held();
    const job = await createInvitationJob(
      h.env,
      { orgId: w.orgId, programId: w.programId, trigger: "invitations", contactIds: w.contactIds, holdSeat: true },
      new Date(),
    );
    expect(job.ok && job.value).toMatchObject({ subject: null, buttonText: null, message: null });
    await drainFanout(h);
    const [mail] = programMail(h.mail);
    const rendered = renderMail(mail!, new Date(), { orgName: "Forest <Camp>" } as never);
    expect(rendered.subject).toBe("Invitation\u00a0: Autumn & <training>");
    expect(rendered.html).toContain("Voir les séances et répondre");
    expect(rendered.text).toContain("Une place vous est réservée dans chaque séance jusqu’au");
  });

  it("keeps the words of the newest job that gave any for the sessions a later job adds", () => {
    const base = { subject: null, buttonText: null, message: null };
    expect(
      wordsOf([
        { ...base, subject: "Old", jobAt: "2027-01-01T00:00:00.000Z" },
        { ...base, message: "New", jobAt: "2027-01-02T00:00:00.000Z" },
        { ...base, jobAt: "2027-01-03T00:00:00.000Z" },
      ]),
    ).toEqual({ subject: null, buttonText: null, message: "New" });
    expect(wordsOf([{ ...base, jobAt: "2027-01-03T00:00:00.000Z" }])).toEqual(base);
  });

  it("takes the words through POST /v1/programs/{id}/invitations and refuses a subject longer than 200 characters", async () => {
    const w = await world(1, 1, "route");
    const long = await api("POST", `/v1/programs/${w.programId}/invitations`, {
      key: w.key,
      body: { contactIds: w.contactIds, subject: "x".repeat(201) },
    });
    expect(long.status).toBe(422);
    expect(long.body.code).toBe("validation_failed");
    const res = await api("POST", `/v1/programs/${w.programId}/invitations`, {
      key: w.key,
      body: { contactIds: w.contactIds, subject: " Autumn ", buttonText: "Go", message: "See you" },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body).toMatchObject({ subject: "Autumn", buttonText: "Go", message: "See you" });
  });
});

describe("a program's own language", () => {
  it("writes to a person without a language in the program's, before the org's, and the sessions' invitations and its page too", async () => {
    // The org speaks English; the program French. The first person chose English, the second nothing.
    const w = await world(2, 1, "programme", { locale: "fr" }, {}, "en");
    const h = held();
    await inviteAll(h, w);
    await drainFanout(h);
    const mails = programMail(h.mail);
    const locales = Object.fromEntries(mails.map((m) => [m.to, m.locale]));
    expect(locales).toEqual({ [w.emails[0]!]: "en", [w.emails[1]!]: "fr" });
    const invitations = await listInvitations(w.key, w.sessionIds[0]!);
    expect(Object.fromEntries(invitations.map((i) => [i.email, i.locale]))).toEqual(locales);
    // Their page, opened by a browser that names no language, speaks the email's.
    const second = mails.find((m) => m.to === w.emails[1])!;
    const page = await browse("GET", `/programs/i/${tokenOf(second)}`);
    expect(page.text).toContain('lang="fr"');
  });
});

describe("program invitations by SMS", () => {
  it("texts the program's one message to a contact who chose SMS (org, program, link), emails the others, and emails an SMS contact without a phone", async () => {
    const w = await world(3, 2, "texted");
    for (const [i, phone] of ["+33611223344", "+33611223345"].entries()) {
      const res = await api("PATCH", `/v1/contacts/${w.contactIds[i]}`, { key: w.key, body: { channel: "sms", phone } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    // A number lost outside the API's checks (an old import): the program's message goes by email.
    await env.DB.prepare("update contacts set phone = null where id = ?").bind(w.contactIds[1]).run();
    const h = held();
    await inviteAll(h, w);
    await drainFanout(h);
    const mails = programMail(h.mail);
    expect(mails).toHaveLength(3);

    const texts: QueuedSms[] = [];
    const smsQueue = {
      sendBatch: async (messages: Iterable<MessageSendRequest<QueuedSms>>) => void texts.push(...[...messages].map((m) => m.body)),
    };
    await runQueue("rollcall-mail", [{ message: { messages: mails } }], {
      ...env,
      SMS_QUEUE: smsQueue as unknown as Queue,
      URGENT_SMS_QUEUE: smsQueue as unknown as Queue,
    } as Env);
    expect(texts.map((t) => [t.mail.to, t.to])).toEqual([[w.emails[0], "+33611223344"]]);
    const [text] = texts;
    const link = (text!.mail as MailMessage<"program_invitation">).data.link;
    expect(text!.body).toBe(
      `Forest <Camp>: you are invited to Autumn & <training>, 2 sessions from Tue 1 Jun 10:00 (Europe/Paris). See them and answer here: ${link}` +
        // Every text ends with the person's own page for the org.
        ` Your page: https://rollcall.test/p/${w.orgId}`,
    );
    expect(text!.statusCallback).toBe(`https://rollcall.test/v1/webhooks/twilio?m=${text!.mail.id}`);
    const emailed = await env.DB.prepare('select "to" from dev_mail where template = \'program_invitation\' and "to" in (?, ?, ?)')
      .bind(...w.emails)
      .all<{ to: string }>();
    expect(emailed.results.map((r) => r.to).sort()).toEqual([w.emails[1], w.emails[2]].sort());
  });
});

describe('program emails kept to send (seed 002: "you can also skip this step and send them an invitation later")', () => {
  const statuses = async (w: World) => Promise.all(w.sessionIds.map(async (id) => (await listInvitations(w.key, id)).map((i) => i.status)));
  const jobOf = async (w: World, jobId: string) => (await readJob(env.DB, w.orgId, w.programId, jobId))!.job;

  it("makes the invitations and emails nobody, the cron neither, until the job's emails are sent; then each person gets one, once", async () => {
    const w = await world(3, 2, "keep");
    const h = held();
    const jobId = await inviteAll(h, w, undefined, "later");
    await drainFanout(h);
    expect(await jobOf(w, jobId)).toMatchObject({ status: "done", send: "later", done: 6 });
    expect(h.mail).toEqual([]);
    expect(await statuses(w)).toEqual([
      ["draft", "draft", "draft"],
      ["draft", "draft", "draft"],
    ]);
    // The hourly cron finishes what other jobs left (other tests' too); it leaves these alone.
    const cron = held();
    const ours = (mail: MailMessage[]) => programMail(mail).filter((m) => w.emails.includes(m.to));
    await runCron(cron.env, new Date(Date.now() + 3_600_000).toISOString());
    await drainFanout(cron);
    expect(ours(cron.mail)).toEqual([]);

    // Its words changed as it goes (seed 002: "you can edit the invitation email before sending it").
    const sent = await sendKeptJob(h.env, w.orgId, w.programId, jobId, new Date(), { subject: "Your autumn weeks", message: null });
    expect(sent.ok && sent.value).toMatchObject({ id: jobId, send: "now", subject: "Your autumn weeks", message: null });
    await drainFanout(h);
    expect(renderMail(programMail(h.mail)[0]!).subject).toBe("Your autumn weeks");
    expect(
      programMail(h.mail)
        .map((m) => m.to)
        .sort(),
    ).toEqual([...w.emails].sort());
    for (const m of programMail(h.mail)) expect(m.data.sessions.map((s) => s.title)).toEqual(["Week 1", "Week 2"]);
    expect(await statuses(w)).toEqual([
      ["sent", "sent", "sent"],
      ["sent", "sent", "sent"],
    ]);

    // Sending again, and the cron after it, send nothing more; new words for emails gone are refused, the same ones are a retry.
    expect((await sendKeptJob(h.env, w.orgId, w.programId, jobId, new Date())).ok).toBe(true);
    expect((await sendKeptJob(h.env, w.orgId, w.programId, jobId, new Date(), { subject: "Your autumn weeks" })).ok).toBe(true);
    const late = await sendKeptJob(h.env, w.orgId, w.programId, jobId, new Date(), { subject: "Too late" });
    expect(!late.ok && late.error.code).toBe("invalid_transition");
    expect((await jobOf(w, jobId)).subject).toBe("Your autumn weeks");
    await drainFanout(h);
    await runCron(cron.env, new Date(Date.now() + 7_200_000).toISOString());
    await drainFanout(cron);
    expect(ours([...h.mail, ...cron.mail])).toHaveLength(3);
  });

  it("sent while the job still runs, the emails go once it is done", async () => {
    const w = await world(2, 2, "keeprun");
    const h = held();
    const jobId = await inviteAll(h, w, undefined, "later");
    const chunks = h.fanout.splice(0);
    await deliver(h, chunks.slice(0, 1));
    expect(await jobOf(w, jobId)).toMatchObject({ status: "running", send: "later" });
    expect(h.fanout).toEqual([]);
    await sendKeptJob(h.env, w.orgId, w.programId, jobId, new Date());
    expect(h.fanout).toEqual([]);
    await deliver(h, chunks.slice(1));
    await drainFanout(h);
    expect(
      programMail(h.mail)
        .map((m) => m.to)
        .sort(),
    ).toEqual([...w.emails].sort());
  });

  it("still names in the program email a session whose invitations were sent from its own roster meanwhile: the email lists the whole program", async () => {
    const w = await world(2, 2, "keepsplit");
    const h = held();
    const jobId = await inviteAll(h, w, undefined, "later");
    await drainFanout(h);
    // The first session's "Send all to send" sends its invitations with its own email.
    const own = await api("POST", `/v1/sessions/${w.sessionIds[0]}/invitations/send`, { key: w.key, body: {} });
    expect(own.status, JSON.stringify(own.body)).toBe(200);
    expect(own.body.invitations).toHaveLength(2);
    await sendKeptJob(h.env, w.orgId, w.programId, jobId, new Date());
    await drainFanout(h);
    const mails = programMail(h.mail);
    expect(mails.map((m) => m.to).sort()).toEqual([...w.emails].sort());
    // The ledger counts an invitation sent already as sent (an interrupted try of this same email must name it again).
    for (const m of mails) expect(m.data.sessions.map((s) => s.title)).toEqual(["Week 1", "Week 2"]);
    expect(await statuses(w)).toEqual([
      ["sent", "sent"],
      ["sent", "sent"],
    ]);
  });

  it("keeps only its own people's emails: another job of the program, sent at once, emails its people and not the kept job's", async () => {
    const w = await world(2, 1, "keepmix");
    const h = held();
    const kept = await createInvitationJob(
      h.env,
      { orgId: w.orgId, programId: w.programId, trigger: "invitations", contactIds: [w.contactIds[0]!], send: "later" },
      new Date(),
    );
    await drainFanout(h);
    await createInvitationJob(
      h.env,
      { orgId: w.orgId, programId: w.programId, trigger: "invitations", contactIds: [w.contactIds[1]!] },
      new Date(),
    );
    await drainFanout(h);
    expect(programMail(h.mail).map((m) => m.to)).toEqual([w.emails[1]]);
    expect(kept.ok && (await jobOf(w, kept.value.id)).send).toBe("later");
  });
});

describe("program emails through the real queues", () => {
  it("sends one email to each of 120 people once the job of POST /v1/programs/{id}/invitations is done", async () => {
    const w = await world(0, 2, "real");
    const pasted = Array.from({ length: 120 }, (_, i) => `real-${i}@example.org`);
    const created = await api("POST", "/v1/contacts", { key: w.key, body: { recipients: pasted.join(", ") } });
    const contactIds = created.body.created.map((c: { id: string }) => c.id);
    const res = await api("POST", `/v1/programs/${w.programId}/invitations`, { key: w.key, body: { contactIds } });
    expect(res.status).toBe(202);
    const count = async () =>
      (await env.DB.prepare("select count(*) as n from program_mails where program_id = ?1 and status = 'queued'")
        .bind(w.programId)
        .first<{ n: number }>())!.n;
    await vi.waitFor(
      async () => {
        const n = await count();
        if (n < 120) throw new Error(`${n} of 120`);
      },
      { timeout: 60_000, interval: 500 },
    );
    expect(await count()).toBe(120);
  });

  it("keeps them with send: later until POST /v1/programs/{id}/invitation-jobs/{jobId}/send, which another org cannot call", async () => {
    const w = await world(3, 1, "realkeep");
    const res = await api("POST", `/v1/programs/${w.programId}/invitations`, {
      key: w.key,
      body: { contactIds: w.contactIds, send: "later" },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body).toMatchObject({ send: "later" });
    const jobPath = `/v1/programs/${w.programId}/invitation-jobs/${res.body.id}`;
    await vi.waitFor(
      async () => {
        const { body } = await api("GET", jobPath, { key: w.key });
        if (body.job.status !== "done") throw new Error(body.job.status);
      },
      { timeout: 60_000, interval: 200 },
    );
    const mails = async () =>
      (await env.DB.prepare("select count(*) as n from program_mails where program_id = ?1").bind(w.programId).first<{ n: number }>())!.n;
    // Asked for these people's emails all the same (a message for them, as the job would queue), the fan-out sends none.
    const probe = held();
    await deliver(probe, [{ kind: "mail", orgId: w.orgId, programId: w.programId, contactIds: w.contactIds }]);
    expect(probe.mail).toEqual([]);
    expect(await mails()).toBe(0);

    const stranger = await newOrg("Other camp");
    expect((await api("POST", `${jobPath}/send`, { key: stranger.key })).status).toBe(404);
    expect((await api("POST", `/v1/programs/${w.programId}/invitation-jobs/job_nope/send`, { key: w.key })).status).toBe(404);
    expect((await api("GET", jobPath, { key: w.key })).body.job.send).toBe("later");
    const refused = await api("POST", `/v1/programs/${w.programId}/invitations`, {
      key: w.key,
      body: { contactIds: w.contactIds, send: "soon" },
    });
    expect(refused.status).toBe(422);

    const sent = await api("POST", `${jobPath}/send`, { key: w.key, body: { buttonText: "Choose your weeks" } });
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({ id: res.body.id, send: "now", buttonText: "Choose your weeks", subject: null });
    await vi.waitFor(
      async () => {
        if ((await mails()) < 3) throw new Error("not yet");
      },
      { timeout: 60_000, interval: 200 },
    );
    expect((await api("POST", `${jobPath}/send`, { key: w.key })).status).toBe(200);
    expect(await mails()).toBe(3);
    const late = await api("POST", `${jobPath}/send`, { key: w.key, body: { subject: "Too late" } });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe("invalid_transition");
    expect((await api("POST", `${jobPath}/send`, { key: w.key, body: { subject: "" } })).status).toBe(422);
  });
});

describe("/programs/i/{token}", () => {
  async function invited(w: World) {
    const h = held();
    await inviteAll(h, w);
    await drainFanout(h);
    return programMail(h.mail);
  }

  it("lists the sessions with their status; accepting a full one puts the person on its waitlist, and Accept all takes the rest", async () => {
    const w = await world(1, 3, "page", {}, { minParticipants: 1, maxParticipants: 1 });
    await registered(w.sessionIds[1]!, { name: "First", email: "first@example.org" });
    const [mail] = await invited(w);
    const path = `/programs/i/${tokenOf(mail!)}`;
    const page = await browse("GET", path);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("form-action 'self'");
    expect(page.text).toContain("Autumn &amp; &lt;training&gt;");
    expect(page.text).not.toContain("<training>");
    expect(page.text).toContain(`data-session="${w.sessionIds[0]}" data-status="invited"`);
    expect(page.text).toContain(`data-session="${w.sessionIds[1]}" data-status="full"`);
    expect(page.text).toContain("Join the waitlist");

    const answered = await browse("POST", `${path}/sessions/${w.sessionIds[1]}`, { form: { answer: "accept" } });
    expect(answered.status).toBe(303);
    expect(answered.location).toBe(`${path}?answered`);
    const after = await browse("GET", `${path}?answered`);
    expect(after.text).toContain(`data-session="${w.sessionIds[1]}" data-status="waitlisted"`);
    expect(after.text).toContain("On the waitlist (position 1)");

    expect((await browse("POST", `${path}/sessions/${w.sessionIds[2]}`, { form: { answer: "decline" } })).status).toBe(303);
    expect((await browse("POST", `${path}/accept-all`)).status).toBe(303);
    const done = await browse("GET", path);
    expect(done.text).toContain(`data-session="${w.sessionIds[0]}" data-status="registered"`);
    expect(done.text).toContain(`data-session="${w.sessionIds[1]}" data-status="waitlisted"`);
    expect(done.text).toContain(`data-session="${w.sessionIds[2]}" data-status="declined"`);
    expect(done.text).not.toContain("Accept all");
    expect((await listInvitations(w.key, w.sessionIds[0]!)).map((i) => i.status)).toEqual(["accepted"]);
    expect((await listInvitations(w.key, w.sessionIds[2]!)).map((i) => i.status)).toEqual(["declined"]);
  });

  it("says where each session is and until when its invitation may be answered, and no longer once it is answered", async () => {
    const w = await world(1, 2, "where", {}, { location: "Lakeside <cabin>" });
    const [mail] = await invited(w);
    const path = `/programs/i/${tokenOf(mail!)}`;
    const page = await browse("GET", path);
    expect(page.text.match(/Where: Lakeside &lt;cabin&gt;/g)).toHaveLength(2);
    const [until] = (await listInvitations(w.key, w.sessionIds[0]!)).map((i) => i.expiresAt as string);
    const shown = instant(until!, "Europe/Paris", "en");
    expect(page.text.split(`Invitation valid until ${shown}`)).toHaveLength(3);
    expect((await browse("POST", `${path}/sessions/${w.sessionIds[0]}`, { form: { answer: "decline" } })).status).toBe(303);
    expect((await browse("GET", path)).text.split("Invitation valid until")).toHaveLength(2);
  });

  it("leaves a session that asks questions out of Accept all, and accepts it with its answers, refused beside each without them", async () => {
    const w = await world(1, 2, "questions-page");
    expect((await api("PATCH", `/v1/sessions/${w.sessionIds[1]}`, { key: w.key, body: { form: QUESTIONS } })).status).toBe(200);
    const [mail] = await invited(w);
    const path = `/programs/i/${tokenOf(mail!)}`;
    const [plain, asking] = w.sessionIds as [string, string];
    const page = await browse("GET", path);
    expect(page.text).toContain("Sessions that ask questions are accepted one at a time, with your answers.");
    expect(page.text).toMatch(/<input[^>]*name="answers\.age"/);

    expect((await browse("POST", `${path}/accept-all`)).status).toBe(303);
    const after = await browse("GET", path);
    expect(after.text).toContain(`data-session="${plain}" data-status="registered"`);
    expect(after.text).toContain(`data-session="${asking}" data-status="invited"`);

    const refused = await browse("POST", `${path}/sessions/${asking}`, {
      form: { answer: "accept", formVersion: "1", "answers.rules": "on" },
    });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain("To accept, answer the session’s questions: see below.");
    expect(refused.text).toContain("Required.");
    expect((await listInvitations(w.key, asking)).map((i) => i.status)).toEqual(["sent"]);

    const accepted = await browse("POST", `${path}/sessions/${asking}`, {
      form: { answer: "accept", formVersion: "1", "answers.age": "12", "answers.rules": "on" },
    });
    expect(accepted.status).toBe(303);
    const rows = (await api("GET", `/v1/sessions/${asking}/roster`, { key: w.key })).body.rows;
    expect(rows.find((r: { kind: string }) => r.kind === "registration")).toMatchObject({ answers: { age: 12, rules: true } });
  });

  it("speaks French to a French speaker and escapes their name", async () => {
    const w = await world(1, 1, "fr-page", {}, {}, "fr");
    const [mail] = await invited(w);
    const page = await browse("GET", `/programs/i/${tokenOf(mail!)}`);
    expect(page.text).toContain('lang="fr"');
    expect(page.text).toContain("Tout accepter");
    expect(page.text).toContain("Zoé &lt;b&gt; Test, Forest &lt;Camp&gt; vous invite à ces séances.");
    expect(page.text).not.toContain("<b>");
  });

  it("registers in the language the page speaks: a reader in French of an English invitation gets French confirmations", async () => {
    const w = await world(1, 2, "lang-page");
    const [mail] = await invited(w);
    expect(mail!.locale).toBe("en");
    const path = `/programs/i/${tokenOf(mail!)}`;
    const [one, other] = w.sessionIds as [string, string];
    const captured = await Promise.all([captureMail(one), captureMail(other)]);
    const french = { "accept-language": "fr-CA, en;q=0.5" };
    expect((await browse("POST", `${path}/sessions/${one}`, { form: { answer: "accept" }, headers: french })).status).toBe(303);
    expect((await browse("POST", `${path}/accept-all`, { headers: french })).status).toBe(303);
    for (const [i, sessionId] of [one, other].entries()) {
      const confirmation = (await mailSoFar(sessionId, captured[i]!)).find((m) => m.template === "registration_confirmed");
      expect(confirmation, sessionId).toMatchObject({ to: w.emails[0], locale: "fr" });
    }
  });

  /** A program of two sessions, the second one priced at €25.00, and the person's program page. */
  async function freeAndPriced(label: string, locale: "en" | "fr" | null = null) {
    const w = await world(1, 2, label, {}, {}, locale);
    const priced = await api("PATCH", `/v1/sessions/${w.sessionIds[1]}`, {
      key: w.key,
      body: { price: { amount: 2500, currency: "EUR" } },
    });
    expect(priced.status, JSON.stringify(priced.body)).toBe(200);
    const [mail] = await invited(w);
    return { w, path: `/programs/i/${tokenOf(mail!)}` };
  }

  it("Accept all takes the free session and leaves the priced one open; its own button holds the seat and goes to checkout; paying confirms", async () => {
    const { w, path } = await freeAndPriced("paid-page");
    const [free, paid] = w.sessionIds as [string, string];
    const page = await browse("GET", path);
    expect(page.text).toContain("Price: €25.00");
    expect(page.text).toContain("Accept and pay €25.00");
    expect(page.text).toContain("Accept all");
    expect(page.text).toContain("Sessions with a price are accepted one at a time, with their payment.");

    expect((await browse("POST", `${path}/accept-all`)).status).toBe(303);
    const after = await browse("GET", path);
    expect(after.text).toContain(`data-session="${free}" data-status="registered"`);
    expect(after.text).toContain(`data-session="${paid}" data-status="invited"`);
    expect((await listInvitations(w.key, free)).map((i) => i.status)).toEqual(["accepted"]);
    expect((await listInvitations(w.key, paid)).map((i) => i.status)).toEqual(["sent"]);
    // Only the priced session is left: no "Accept all", its own button still there.
    expect(after.text).not.toContain("Accept all");
    expect(after.text).toContain("Accept and pay €25.00");

    // Where a checkout can be made (locally, the dev checkout page).
    const accepted = await browse("POST", `${path}/sessions/${paid}`, { form: { answer: "accept" }, base: DEV_BASE });
    expect(accepted.status, accepted.text).toBe(303);
    const to = new URL(accepted.location!);
    expect(to.pathname).toMatch(/^\/dev\/checkout\/reg_/);
    expect(to.searchParams.get("return")).toBe(`${DEV_BASE}${path}`);
    expect((await roster(w.key, paid)).rows).toMatchObject([{ kind: "registration", status: "pending_payment" }]);
    expect((await readSession(w.key, paid)).seats).toMatchObject({ confirmed: 0, held: 1 });
    // Back without paying: the seat is said held (not confirmed), and its checkout can be started again.
    const held = await browse("GET", path);
    expect(held.text).toContain(`data-session="${paid}" data-status="held"`);
    const item = held.text.slice(held.text.indexOf(`data-session="${paid}"`)).split("</li>")[0]!;
    expect(item).toContain("Seat held while you pay");
    expect(item).not.toContain("your seat is confirmed");
    expect(item).toContain("Pay €25.00");
    const again = await browse("POST", `${path}/sessions/${paid}`, { form: { answer: "pay" }, base: DEV_BASE });
    expect(again.status).toBe(303);
    expect(new URL(again.location!).pathname).toBe(to.pathname);
    expect((await readSession(w.key, paid)).seats).toMatchObject({ confirmed: 0, held: 1 });

    await devCheckout(accepted.location!);
    expect((await roster(w.key, paid)).rows).toMatchObject([{ kind: "registration", status: "confirmed" }]);
    expect((await readSession(w.key, paid)).seats).toMatchObject({ confirmed: 1, held: 0 });
    expect((await listInvitations(w.key, paid)).map((i) => i.status)).toEqual(["accepted"]);
    expect((await browse("GET", path)).text).toContain(`data-session="${paid}" data-status="registered"`);
    // Checkout sends the person back here, saying so.
    expect((await browse("GET", `${path}?rollcall_checkout=paid`)).text).toContain(
      "Back from checkout: once the payment is recorded, your seat is confirmed and an email says so.",
    );
  });

  it("where no checkout is set up, accepting the priced session says so and holds nothing", async () => {
    const { w, path } = await freeAndPriced("unpaid-page");
    const paid = w.sessionIds[1]!;
    const accepted = await browse("POST", `${path}/sessions/${paid}`, { form: { answer: "accept" } });
    expect(accepted.status).toBe(303);
    expect(accepted.location).toBe(`https://rollcall.test${path}?unpaid`);
    const page = await browse("GET", `${path}?unpaid`);
    expect(page.text).toContain("Payments are not set up here, so this session cannot be paid for now. No seat was held for you.");
    expect(page.text).toContain(`data-session="${paid}" data-status="invited"`);
    expect((await listInvitations(w.key, paid)).map((i) => i.status)).toEqual(["sent"]);
    expect((await roster(w.key, paid)).rows.filter((r) => r.kind === "registration")).toEqual([]);
  });

  it("when the Stripe checkout fails for a moment, accepting says to try again in a moment, not that payments are not set up", async () => {
    const { w, path } = await freeAndPriced("checkout-failed-page");
    const stripe = stripeAccount();
    await fetch(`${stripe.bindings.STRIPE_API_BASE}/_control/fail`, {
      method: "POST",
      headers: { authorization: `Bearer ${stripe.bindings.STRIPE_SECRET_KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ status: 503, times: 2 }),
    });
    const accepted = await api("POST", `${path}/sessions/${w.sessionIds[1]}`, {
      raw: new URLSearchParams({ answer: "accept" }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
      bindings: stripe.bindings,
    });
    expect(accepted.status).toBe(303);
    expect(accepted.headers.get("location")).toBe(`https://rollcall.test${path}?payfailed`);
  });

  it("names what accepting costs when their invitation to the priced session carries a discount code", async () => {
    const w = await world(1, 2, "code-page");
    const paid = w.sessionIds[1]!;
    expect((await api("PATCH", `/v1/sessions/${paid}`, { key: w.key, body: { price: { amount: 2500, currency: "EUR" } } })).status).toBe(
      200,
    );
    expect((await api("POST", "/v1/discount-codes", { key: w.key, body: { code: "PROGRAM10", percentOff: 10 } })).status).toBe(201);
    await invitedDirectly(w.key, paid, { recipients: [w.emails[0]], discountCode: "PROGRAM10" });
    const [mail] = await invited(w);
    const path = `/programs/i/${tokenOf(mail!)}`;
    const page = await browse("GET", path);
    expect(page.text).toContain("Price: €25.00");
    expect(page.text).toContain("Accept and pay €22.50");
    const accepted = await browse("POST", `${path}/sessions/${paid}`, { form: { answer: "accept" }, base: DEV_BASE });
    expect(accepted.status, accepted.text).toBe(303);
    expect((await roster(w.key, paid)).rows).toMatchObject([
      { kind: "registration", status: "pending_payment", discountCode: "PROGRAM10" },
    ]);
    expect((await browse("GET", path)).text).toContain("Pay €22.50");
  });

  it("names the price and the pay button in French", async () => {
    const { w, path } = await freeAndPriced("fr-paid-page", "fr");
    const page = await browse("GET", path);
    expect(page.text).toContain('lang="fr"');
    expect(page.text).toMatch(/Prix\u00a0: 25,00\s€/);
    expect(page.text).toMatch(/Accepter et payer 25,00\s€/);
    expect(page.text).toContain("Les séances payantes s’acceptent une à une, avec leur paiement.");
    expect((await browse("GET", `${path}?unpaid`)).text).toContain("Les paiements ne sont pas configurés ici");
    // Nothing held for this person: "pay" starts nothing.
    const pay = await browse("POST", `${path}/sessions/${w.sessionIds[1]}`, { form: { answer: "pay" }, base: DEV_BASE });
    expect(pay.location).toBe(`${DEV_BASE}${path}?payfailed`);
    expect((await browse("GET", `${path}?payfailed`)).text).toContain("Le paiement n’a pas pu commencer");
  });

  it("refuses a wrong token, a token used on another program's session, and a token once the program is over", async () => {
    const a = await world(1, 1, "tok-a");
    const b = await world(1, 1, "tok-b");
    const [ma] = await invited(a);
    const [mb] = await invited(b);
    const wrong = `${tokenOf(ma!).slice(0, -1)}${tokenOf(ma!).endsWith("A") ? "B" : "A"}`;
    expect((await browse("GET", `/programs/i/${wrong}`)).status).toBe(404);
    expect((await browse("GET", "/programs/i/short")).status).toBe(404);
    expect((await browse("POST", `/programs/i/${wrong}/accept-all`)).status).toBe(404);
    // A's link cannot answer B's session.
    const cross = await browse("POST", `/programs/i/${tokenOf(ma!)}/sessions/${b.sessionIds[0]}`, { form: { answer: "accept" } });
    expect(cross.status).toBe(404);
    expect((await listInvitations(b.key, b.sessionIds[0]!)).map((i) => i.status)).toEqual(["sent"]);
    expect((await browse("GET", `/programs/i/${tokenOf(mb!)}`)).status).toBe(200);
    // Over: program B's last day has passed.
    await api("PATCH", `/v1/programs/${b.programId}`, { key: b.key, body: { startsOn: "2026-01-01", endsOn: "2026-02-01" } });
    const expired = await browse("GET", `/programs/i/${tokenOf(mb!)}`);
    expect(expired.status).toBe(410);
    expect(expired.text).toContain("This program is over");
    expect((await browse("POST", `/programs/i/${tokenOf(mb!)}/accept-all`)).status).toBe(410);
  });
});

describe("the cron's sweep of stuck jobs", () => {
  it("queues again the chunks of a job whose messages never reached the queue, so the job finishes", async () => {
    const w = await world(3, 2, "stuck");
    const h = held();
    const jobId = await inviteAll(h, w);
    h.fanout.splice(0); // the queue never got them
    const soon = held();
    await runCron(soon.env, new Date(Date.now() + 5 * 60_000).toISOString());
    expect(soon.fanout).toEqual([]);
    const later = held();
    await runCron(later.env, new Date(Date.now() + 31 * 60_000).toISOString());
    expect(later.fanout).toEqual([
      { jobId, seq: 0 },
      { jobId, seq: 1 },
    ]);
    await drainFanout(later);
    const job = await api("GET", `/v1/programs/${w.programId}/invitation-jobs/${jobId}`, { key: w.key });
    expect(job.body.job).toMatchObject({ status: "done", done: 6 });
    expect(programMail(later.mail)).toHaveLength(3);
  });
});
