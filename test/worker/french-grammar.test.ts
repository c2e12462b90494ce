// French as French people write it: "de" elided before a vowel ("d’Atelier cuisine"), a space
// before a colon, the first of a month as "1er", and a cancelled session's subject that agrees
// with "séance". The rules (i18n/grammar.ts, time/date-words.ts), then the emails that use them.
import { describe, expect, it } from "vitest";
import { strings } from "../../worker/admin/i18n";
import type { MailMessage, SessionMailData } from "../../worker/email/message";
import { renderMail } from "../../worker/email/render";
import { de, labelled, que } from "../../worker/i18n/grammar";
import { firstOfMonth } from "../../worker/time/date-words";
import { formatDay, formatInstant } from "../../worker/time/format";
import { instant, sessionTime } from "../../worker/time/when";

const session: SessionMailData = {
  name: "Léa",
  sessionTitle: "Atelier cuisine",
  startsAt: "2031-10-01T08:00:00.000Z", // 10:00 in Paris, Wednesday 1 October
  durationMinutes: 90,
  timeZone: "Europe/Paris",
  baseUrl: "https://rollcall.test",
};

const fr = <T extends MailMessage["template"]>(template: T, data: MailMessage<T>["data"]): MailMessage<T> =>
  ({ id: `msg_${template}`, template, to: "lea@example.org", locale: "fr", sessionId: "ses_0h4k8m2q9rvt3x7c1a5d", data }) as MailMessage<T>;

describe("the rules", () => {
  it("elides de before a vowel, accented or capital, and not before a consonant or an h", () => {
    expect(de("Atelier cuisine")).toBe("d’Atelier cuisine");
    expect(de("École des Érables")).toBe("d’École des Érables");
    expect(de("Stage de natation")).toBe("de Stage de natation");
    expect(de("Hockey sur glace")).toBe("de Hockey sur glace");
    // A text keeps to the GSM alphabet.
    expect(de("Atelier", "'")).toBe("d'Atelier");
  });

  it("elides que the same way, and the admin writes it so", () => {
    expect(que("adjointe@camp.example")).toBe("qu’adjointe@camp.example");
    expect(que("direction@camp.example")).toBe("que direction@camp.example");
    expect(strings.fr.signedInAs("adjointe@camp.example", "admin")).toBe("Connecté·e en tant qu’adjointe@camp.example (admin)");
    expect(strings.fr.signedInAs("direction@camp.example", "owner")).toBe("Connecté·e en tant que direction@camp.example (propriétaire)");
  });

  it("puts a no-break space before a colon in French only, so the colon never begins a line", () => {
    expect(labelled("Quand", "demain", "fr")).toBe("Quand\u00a0: demain");
    expect(labelled("When", "tomorrow", "en")).toBe("When: tomorrow");
  });

  it("writes the first of a month 1er in French, and leaves 11, 21 and 31 and other languages alone", () => {
    expect(firstOfMonth("mercredi 1 octobre 2031 à 10:00", "fr-FR")).toBe("mercredi 1er octobre 2031 à 10:00");
    expect(firstOfMonth("1 octobre", "fr")).toBe("1er octobre");
    expect(firstOfMonth("samedi 11 octobre 2031, 10:00 – 11:30", "fr-FR")).toBe("samedi 11 octobre 2031, 10:00 – 11:30");
    expect(firstOfMonth("vendredi 31 octobre 2031", "fr-FR")).toBe("vendredi 31 octobre 2031");
    expect(firstOfMonth("Wednesday 1 October 2031", "en-GB")).toBe("Wednesday 1 October 2031");
    // Through every formatter that writes a date.
    expect(formatDay("2031-07-01", "fr-FR")).toBe("mardi 1er juillet 2031");
    expect(formatInstant(session.startsAt, "Europe/Paris", "fr-FR")).toMatch(/^mercredi 1er octobre 2031 à 10:00 \(Europe\/Paris\)$/);
    expect(sessionTime(session.startsAt, 90, "Europe/Paris", "fr")).toMatch(/^mercredi 1er octobre 2031/);
    expect(sessionTime(session.startsAt, 90, "Europe/Paris", "en")).toMatch(/^Wednesday, October 1, 2031/);
  });

  it("writes an hour before ten in two digits in French, alone as in a range, and as a clock reads in English", () => {
    const early = "2031-10-08T07:05:00.000Z"; // 9:05 in Paris
    expect(instant(early, "Europe/Paris", "fr")).toBe("mercredi 8 octobre 2031 à 09:05 (Europe/Paris, GMT+2)");
    // Intl puts thin spaces around a range's dash.
    expect(sessionTime(early, 90, "Europe/Paris", "fr")).toMatch(/^mercredi 8 octobre 2031, 09:05\s–\s10:35 \(Europe\/Paris, GMT\+2\)$/);
    expect(instant(early, "Europe/Paris", "en")).toBe("Wednesday, October 8, 2031 at 9:05 AM (Europe/Paris, GMT+2)");
  });
});

describe("the French emails", () => {
  it("puts someone on the waitlist d’Atelier cuisine, on the 1er", () => {
    const mail = renderMail(
      fr("confirm_registration", {
        ...session,
        link: "https://rollcall.test/c/abc",
        code: "042917",
        expiresAt: "2031-09-01T10:15:00Z",
        waitlist: true,
      }),
    );
    expect(mail.text).toContain("sur la liste d’attente d’Atelier cuisine");
    expect(mail.text).not.toContain("de Atelier");
    expect(mail.text).toContain("mercredi 1er octobre 2031");
  });

  it("names a participant's own leaving of the waitlist with the elision too", () => {
    const mail = renderMail(fr("registration_cancelled", { ...session, cancelledBy: "participant", hadSeat: false }));
    expect(mail.text).toContain("Vous avez quitté la liste d’attente d’Atelier cuisine");
  });

  it("subjects a cancelled session 'Séance annulée', agreeing with séance", () => {
    const cancelled = renderMail(fr("session_cancelled", { ...session, cancelledBy: "key:1", hadSeat: true }));
    expect(cancelled.subject).toBe("Séance annulée : Atelier cuisine");
    const invited = renderMail(fr("invitation_session_cancelled", { ...session, orgName: "École des Érables" }));
    expect(invited.subject).toBe("Séance annulée : Atelier cuisine (École des Érables)");
  });

  it("previews a changed session with a space before each colon", () => {
    const mail = renderMail(
      fr("session_updated", {
        ...session,
        manageToken: "ses_0h4k8m2q9rvt3x7c1a5d.manage",
        before: { startsAt: "2031-09-30T08:00:00.000Z", durationMinutes: 90, timeZone: "Europe/Paris", location: null, onlineUrl: null },
      }),
    );
    expect(mail.subject).toBe("Séance modifiée : Atelier cuisine");
    expect(mail.html).toMatch(/Quand\u00a0: mardi 30 septembre 2031.* → mercredi 1er octobre 2031/);
    expect(mail.html).not.toMatch(/Quand: /);
  });

  it("signs an organisation's emails pour le compte d’une organisation", () => {
    const mail = renderMail(fr("registration_confirmed", { ...session, manageToken: "tok" }), new Date(), {
      orgName: "École des Érables",
    } as Parameters<typeof renderMail>[2]);
    expect(mail.text).toContain("Envoyé par Rollcall pour le compte d’École des Érables.");
  });
});
