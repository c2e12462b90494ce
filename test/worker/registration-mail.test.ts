// What the platform emails about a public registration. Anyone can register any address, so the
// text a registrant chose (their name) must not reach an inbox whose owner has not confirmed it:
// unverified registrations are greeted without a name.
import { describe, expect, it } from "vitest";
import { renderMail } from "../../worker/email/render";
import { addParticipant, api, newOrg, newSession, person, register } from "./helpers";
import { captureMail, mailSoFar } from "./invitation-helpers";

const BAIT = "Your account is locked, call +1 555 0100";

describe("emails about a public registration", () => {
  it("greet an unverified registrant without the name they typed: confirmation, waitlist, promotion and removal", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 1, minParticipants: 1 });
    const captured = await captureMail(s.id);
    const first = await register(s.id, { name: BAIT, email: "victim@example.org" });
    await register(s.id, { name: `${BAIT} (2)`, email: "victim2@example.org" });
    await api("POST", `/v1/registrations/${first.body.registration.id}/cancel`, { key });
    const mail = await mailSoFar(s.id, captured);
    // The first is removed by the provider, and told so: that email greets nobody by name either.
    expect(mail.map((m) => m.template).sort()).toEqual(["promoted", "registration_cancelled", "registration_confirmed", "waitlisted"]);
    for (const message of mail) {
      expect(message.data.name, message.template).toBeNull();
      const rendered = renderMail(message);
      expect(rendered.text).not.toContain(BAIT);
      expect(rendered.html).not.toContain("Your account is locked");
      expect(rendered.text).toMatch(/^Hello,$/m);
    }
  });

  it("tell each one put on the waitlist their place in line", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 1, minParticipants: 1 });
    const captured = await captureMail(s.id);
    await register(s.id, person(1));
    await register(s.id, person(2));
    await register(s.id, person(3));
    const mail = (await mailSoFar(s.id, captured)).filter((m) => m.template === "waitlisted");
    expect(mail.map((m) => [m.to, m.data.waitlistPosition])).toEqual([
      [person(2).email, 1],
      [person(3).email, 2],
    ]);
    expect(renderMail(mail[1]!).text).toContain("so you are on the waitlist (position 2).");
  });

  it("greet a participant the provider added by name", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const captured = await captureMail(s.id);
    await addParticipant(key, s.id, { name: "Ada Lovelace", email: "ada@example.org" });
    const [message] = await mailSoFar(s.id, captured);
    expect(message.data.name).toBe("Ada Lovelace");
    expect(renderMail(message).text).toContain("Hello Ada Lovelace,");
  });

  it("keep the name for the roster", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    await register(s.id, person(1));
    const roster = await api("GET", `/v1/sessions/${s.id}/roster`, { key });
    expect(roster.body.rows[0].name).toBe("Person 1");
  });
});
