// What the ledger tells a participant about their own seat, end to end: the email decided by a
// cancellation (theirs or the org's) and the calendar cancellation it carries, and the promotion
// email's cancel link, which must be a working one.
import { describe, expect, it } from "vitest";
import type { MailMessage } from "../../worker/email/message";
import { renderMail } from "../../worker/email/render";
import { eventually } from "./email-helpers";
import { api, newOrg, newSession, person, registered } from "./helpers";
import { captureMail } from "./invitation-helpers";

const decoded = (content: string) => new TextDecoder().decode(Uint8Array.from(atob(content), (c) => c.charCodeAt(0)));

async function mailTo(captured: any[], email: string, template: string): Promise<MailMessage> {
  const found = await eventually(
    async () => captured.find((m) => m.to === email && m.template === template),
    (m) => m !== undefined,
  );
  expect(found, `${template} to ${email}`).toBeDefined();
  return found;
}

describe("a participant's own cancellation", () => {
  it("emails them that it is cancelled, with the calendar cancellation of the event they were sent", async () => {
    const { key } = await newOrg("Maple Grove Summer Camp");
    const s = await newSession(key);
    const captured = await captureMail(s.id);
    const { manageToken } = await registered(s.id, person(1));
    const confirmation = await mailTo(captured, person(1).email, "registration_confirmed");

    expect((await api("POST", `/v1/manage/${manageToken}/cancel`)).status).toBe(200);
    const message = await mailTo(captured, person(1).email, "registration_cancelled");
    expect(message.data).toMatchObject({ cancelledBy: "participant", hadSeat: true, sessionTitle: s.title });

    const mail = renderMail(message, new Date(), { orgName: "Maple Grove Summer Camp", ownerEmail: "owner@camp.example" });
    expect(mail.text).toContain("is cancelled, as you asked");
    const ics = decoded(mail.attachments![0]!.content);
    expect(ics).toContain("METHOD:CANCEL");
    const uid = (text: string) => /UID:(.*)/.exec(text)?.[1];
    expect(uid(ics)).toBe(uid(decoded(renderMail(confirmation, new Date(Date.now() - 60_000)).attachments![0]!.content)));

    // A second cancel from the same link changes nothing and sends nothing.
    await api("POST", `/v1/manage/${manageToken}/cancel`);
    await new Promise((r) => setTimeout(r, 300));
    expect(captured.filter((m) => m.template === "registration_cancelled")).toHaveLength(1);
  });

  it("tells someone the org removed, and someone who leaves the waitlist gets no calendar file", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 1, minParticipants: 1 });
    const captured = await captureMail(s.id);
    const first = await registered(s.id, person(1));
    const second = await registered(s.id, person(2));
    expect(second.registration.status).toBe("waitlisted");

    expect((await api("POST", `/v1/manage/${second.manageToken}/cancel`)).status).toBe(200);
    const left = await mailTo(captured, person(2).email, "registration_cancelled");
    expect(left.data).toMatchObject({ cancelledBy: "participant", hadSeat: false });
    expect(renderMail(left).attachments).toBeUndefined();

    expect((await api("POST", `/v1/registrations/${first.registration.id}/cancel`, { key })).status).toBe(200);
    const removed = await mailTo(captured, person(1).email, "registration_cancelled");
    expect(removed.data).toMatchObject({ cancelledBy: "provider", hadSeat: true });
    expect(renderMail(removed, new Date(), { orgName: "Forest Camp" }).text).toContain(
      "Forest Camp has cancelled your registration for Forest camp — week 1.",
    );
  });
});

describe("a cancelled session", () => {
  it("withdraws the calendar event of those who had a seat, and sends none to the waitlist", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 1, minParticipants: 1 });
    const captured = await captureMail(s.id);
    await registered(s.id, person(1));
    await registered(s.id, person(2));
    expect((await api("POST", `/v1/sessions/${s.id}/cancel`, { key })).status).toBe(200);
    const seat = await mailTo(captured, person(1).email, "session_cancelled");
    const waiting = await mailTo(captured, person(2).email, "session_cancelled");
    expect(seat.data).toMatchObject({ hadSeat: true });
    expect(waiting.data).toMatchObject({ hadSeat: false });
    expect(decoded(renderMail(seat).attachments![0]!.content)).toContain("METHOD:CANCEL");
    expect(renderMail(waiting).attachments).toBeUndefined();
  });
});

describe("a promotion from the waitlist", () => {
  it("carries a cancel link that cancels the promoted registration", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 1, minParticipants: 1 });
    const captured = await captureMail(s.id);
    const first = await registered(s.id, person(1));
    const second = await registered(s.id, person(2));
    expect((await api("POST", `/v1/manage/${first.manageToken}/cancel`)).status).toBe(200);

    const promoted = (await mailTo(captured, person(2).email, "promoted")) as MailMessage<"promoted">;
    expect(promoted).not.toHaveProperty("manageSalt");
    // The very link the waitlist email gave them: the promotion does not change it.
    expect(promoted.data.manageToken).toBe(second.manageToken);
    expect(renderMail(promoted).text).toContain(`/m/${encodeURIComponent(second.manageToken)}`);

    const res = await api("POST", `/v1/manage/${promoted.data.manageToken}/cancel`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: second.registration.id, status: "cancelled" });
  });
});
