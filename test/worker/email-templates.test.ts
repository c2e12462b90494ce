// Rendering: every template in both languages, escaping of what organisers write, the session's
// time in its own zone, and the calendar file parsed back.
import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import { vtimezone } from "../../worker/email/calendar/vtimezone";
import type { MailMessage, SessionMailData } from "../../worker/email/message";
import { renderMail } from "../../worker/email/render";
import type { SenderSettings } from "../../worker/email/sender";

const session: SessionMailData = {
  name: "Léa",
  sessionTitle: "Forest camp — week 1",
  startsAt: "2026-06-01T07:00:00.000Z", // 09:00 in Paris (summer time)
  durationMinutes: 180,
  timeZone: "Europe/Paris",
  baseUrl: "https://rollcall.test",
};

function invitation(overrides: Partial<MailMessage<"invitation">["data"]> = {}, locale: "en" | "fr" = "en"): MailMessage<"invitation"> {
  return {
    id: "msg_invite",
    template: "invitation",
    to: "lea@example.org",
    locale,
    sessionId: "ses_0h4k8m2q9rvt3x7c1a5d",
    invitationId: "inv_0h4k8m2q9rvt3x7c1a5d_abcdefghjk",
    data: {
      ...session,
      link: "https://rollcall.test/r/ses_0h4k8m2q9rvt3x7c1a5d.secret",
      subject: null,
      buttonText: null,
      message: null,
      discountCode: null,
      holdSeat: true,
      expiresAt: "2026-05-15T16:00:00.000Z",
      ...overrides,
    },
  };
}

const confirmed = (locale: "en" | "fr" = "en"): MailMessage<"registration_confirmed"> => ({
  id: "msg_confirmed",
  template: "registration_confirmed",
  to: "lea@example.org",
  locale,
  sessionId: "ses_0h4k8m2q9rvt3x7c1a5d",
  data: { ...session, manageToken: "ses_0h4k8m2q9rvt3x7c1a5d.manage-secret" },
});

const every: MailMessage[] = [
  invitation(),
  confirmed(),
  { id: "m3", template: "waitlisted", to: "a@example.org", locale: "en", data: { ...session, manageToken: "tok" } },
  {
    id: "m4",
    template: "promoted",
    to: "a@example.org",
    locale: "en",
    data: { ...session, manageToken: "ses_0h4k8m2q9rvt3x7c1a5d.promoted" },
  },
  { id: "m5", template: "invitation_cancelled", to: "a@example.org", locale: "en", data: session },
  {
    id: "m6",
    template: "session_cancelled",
    to: "a@example.org",
    locale: "en",
    sessionId: "ses_0h4k8m2q9rvt3x7c1a5d",
    data: { ...session, cancelledBy: "key:1", hadSeat: true },
  },
  {
    id: "m9",
    template: "registration_cancelled",
    to: "a@example.org",
    locale: "en",
    sessionId: "ses_0h4k8m2q9rvt3x7c1a5d",
    data: { ...session, cancelledBy: "participant", hadSeat: true },
  },
  {
    id: "m11",
    template: "registration_cancelled",
    to: "a@example.org",
    locale: "en",
    sessionId: "ses_0h4k8m2q9rvt3x7c1a5d",
    data: { ...session, cancelledBy: "provider", hadSeat: true },
  },
  {
    id: "m10",
    template: "manage_link",
    to: "a@example.org",
    locale: "en",
    data: { ...session, manageToken: "ses_0h4k8m2q9rvt3x7c1a5d.manage-secret", status: "confirmed" },
  },
  {
    id: "m7",
    template: "one_time_code",
    to: "a@example.org",
    locale: "en",
    data: { ...session, code: "482913", expiresAt: "2026-05-01T10:10:00Z" },
  },
  {
    id: "m8",
    template: "sign_in",
    to: "a@example.org",
    locale: "en",
    data: { link: "https://rollcall.test/admin/sign-in/abc", expiresAt: "2026-05-01T10:15:00Z", orgName: "Forest Camp" },
  },
  {
    id: "m12",
    template: "mail_budget_alert",
    to: "owner@example.org",
    locale: "en",
    data: { orgName: "Forest Camp", limit: 1000, resumesAt: "2026-05-01T11:00:00Z" },
  },
  {
    id: "m13",
    template: "confirm_registration",
    to: "a@example.org",
    locale: "en",
    sessionId: "ses_0h4k8m2q9rvt3x7c1a5d",
    data: { ...session, link: "https://rollcall.test/c/abc", code: "042917", expiresAt: "2026-05-01T10:15:00Z", waitlist: false },
  },
  {
    id: "m14",
    template: "invitation_session_cancelled",
    to: "a@example.org",
    locale: "en",
    sessionId: "ses_0h4k8m2q9rvt3x7c1a5d",
    data: { ...session, orgName: "Maple Grove Summer Camp" },
  },
  {
    id: "m15",
    template: "program_invitation",
    to: "a@example.org",
    locale: "en",
    sessionId: "ses_0h4k8m2q9rvt3x7c1a5d",
    data: {
      name: "Léa",
      programName: "Summer programme",
      link: "https://rollcall.test/programs/i/abc",
      more: false,
      sessions: [
        {
          title: session.sessionTitle,
          startsAt: session.startsAt,
          durationMinutes: 180,
          timeZone: "Europe/Paris",
          location: "The big oak",
        },
        { title: "Forest camp — week 2", startsAt: "2026-06-08T07:00:00.000Z", durationMinutes: 180, timeZone: "Europe/Paris" },
      ],
    },
  },
  { id: "m20", template: "minimum_met", to: "a@example.org", locale: "en", sessionId: "ses_0h4k8m2q9rvt3x7c1a5d", data: session },
  {
    id: "m21",
    template: "minimum_ask",
    to: "owner@example.org",
    locale: "en",
    sessionId: "ses_0h4k8m2q9rvt3x7c1a5d",
    data: {
      ...session,
      counted: 2,
      minimum: 4,
      runLink: "https://rollcall.test/admin/decide/run",
      cancelLink: "https://rollcall.test/admin/decide/cancel",
    },
  },
];

describe("email HTML", () => {
  const hostile = `<script>alert(1)</script> "'&`;
  const escaped = "&lt;script&gt;alert(1)&lt;/script&gt; &quot;&#39;&amp;";

  it("escapes a session title and a participant's name wherever they appear", () => {
    const mail = renderMail(invitation({ name: hostile, sessionTitle: hostile }));
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).not.toContain(`"'&`);
    expect(mail.html).toContain(`<title>You&#39;re invited: ${escaped}</title>`);
    expect(mail.html).toContain(`Hello ${escaped},`);
    expect(mail.html).toContain(`You are invited to ${escaped}.`);
    // The text part is not HTML: it says the same words as written.
    expect(mail.text).toContain(`Hello ${hostile},`);
  });
});

describe("renderMail", () => {
  it.each(every.flatMap((m) => [m, { ...m, locale: "fr" } as MailMessage]).map((m) => [m.template, m.locale, m] as const))(
    "renders %s in %s with a subject, HTML and text",
    (_template, locale, message) => {
      const mail = renderMail(message);
      expect(mail.subject.length).toBeGreaterThan(3);
      expect(mail.subject).not.toMatch(/[\r\n]/);
      expect(mail.html).toMatch(new RegExp(`^<!doctype html>\\s*<html lang="${locale}">`));
      expect(mail.text.length).toBeGreaterThan(20);
      expect(mail.html).not.toContain("undefined");
      expect(mail.text).not.toContain("undefined");
    },
  );

  it("writes one program invitation listing each session in its zone, its place when set, and one link", () => {
    const message = every.find((m) => m.template === "program_invitation")!;
    const mail = renderMail(message, new Date(), { orgName: "Maple Grove" } as SenderSettings);
    expect(mail.subject).toBe("You're invited: Summer programme");
    expect(mail.text).toContain("Maple Grove invites you to Summer programme: 2 sessions.");
    expect(mail.text).toMatch(/Monday, June 1, 2026.*9:00\s*AM/);
    expect(mail.text).toMatch(/Monday, June 8, 2026/);
    expect(mail.text).toContain("Where: The big oak");
    expect(mail.text.match(/https:\/\/rollcall\.test\/programs\/i\/abc/g)).toHaveLength(1);
    const fr = renderMail({ ...message, locale: "fr" } as MailMessage, new Date(), { orgName: "Maple Grove" } as SenderSettings);
    expect(fr.subject).toBe("Invitation : Summer programme");
    expect(fr.text).toContain("Maple Grove vous invite à Summer programme : 2 séances.");
    expect(fr.text).toContain("Où : The big oak");
    expect(fr.text).toMatch(/lundi 8 juin 2026/);
  });

  it("says what the invitation's code leaves to pay in a priced session, nothing when it covers all, and only what it takes off", () => {
    const price = { amount: 2500, currency: "EUR" };
    expect(renderMail(invitation({ price, discountCode: "EARLY10", toPay: { amount: 2250, currency: "EUR" } })).text).toContain(
      "You pay: €22.50",
    );
    expect(renderMail(invitation({ price, discountCode: "FREE", toPay: { amount: 0, currency: "EUR" } })).text).toContain(
      "You pay: Nothing: the code covers it",
    );
    // A code that takes nothing off today (expired since it was chosen): no line that repeats the price.
    expect(renderMail(invitation({ price, discountCode: "OLD", toPay: price })).text).not.toContain("You pay");
    expect(renderMail(invitation({ discountCode: "EARLY10" })).text).not.toContain("You pay");
  });

  it("writes the invitation in English with the session's time in its own zone, named", () => {
    const mail = renderMail(invitation({ discountCode: "EARLY10" }));
    expect(mail.subject).toBe("You're invited: Forest camp — week 1");
    expect(mail.text).toContain("Hello Léa,");
    expect(mail.text).toContain("Monday, June 1, 2026");
    expect(mail.text).toMatch(/9:00\s*AM\s*–\s*12:00\s*PM \(Europe\/Paris, GMT\+2\)/);
    expect(mail.text).toContain("Discount code: EARLY10");
    expect(mail.text).toMatch(/A seat is reserved for you until Friday, May 15, 2026 at 6:00\s*PM \(Europe\/Paris, GMT\+2\)/);
    expect(mail.html).toContain('href="https://rollcall.test/r/ses_0h4k8m2q9rvt3x7c1a5d.secret"');
    expect(mail.text).toContain("Accept or decline: https://rollcall.test/r/ses_0h4k8m2q9rvt3x7c1a5d.secret");
  });

  it("writes the invitation in French", () => {
    const mail = renderMail(invitation({}, "fr"));
    expect(mail.subject).toBe("Invitation : Forest camp — week 1");
    expect(mail.text).toContain("Bonjour Léa,");
    expect(mail.text).toContain("lundi 1er juin 2026");
    expect(mail.text).toMatch(/09:00\s*–\s*12:00 \(Europe\/Paris, GMT\+2\)/);
    expect(mail.text).toContain("Une place vous est réservée jusqu’au vendredi 15 mai 2026");
    expect(mail.html).toContain("Accepter ou refuser");
  });

  it("says how long a plain invitation stays valid instead of a held seat", () => {
    const mail = renderMail(invitation({ holdSeat: false }));
    expect(mail.text).toContain("This invitation is valid until");
    expect(mail.text).not.toContain("reserved");
  });

  it("says that only the invited address can accept when the invitation requires it, in both languages", () => {
    const en = renderMail(invitation({ requireEmailMatch: true }));
    expect(en.text).toContain("Only this email address can accept the invitation: we will send a code to it to check.");
    expect(en.text).not.toContain("whoever holds it");
    const fr = renderMail(invitation({ requireEmailMatch: true }, "fr"));
    expect(fr.text).toContain("Seule cette adresse e-mail peut accepter l’invitation : nous y enverrons un code pour le vérifier.");
    expect(fr.text).not.toContain("la personne qui le détient");
    expect(renderMail(invitation()).text).toContain("whoever holds it can answer the invitation for you, so keep it to yourself");
  });

  it("uses the organiser's subject, button text and message, escaped in the HTML", () => {
    const hostile = `<script>alert("x")</script> & <img src=x onerror=alert(1)>`;
    const mail = renderMail(
      invitation({
        subject: "Join us!\r\nBcc: evil@example.org",
        buttonText: `<b>Count me in</b>`,
        message: `Dear all,\n${hostile}`,
        discountCode: `"><svg onload=1>`,
      }),
    );
    expect(mail.subject).toBe("Join us! Bcc: evil@example.org");
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).not.toContain("<img");
    expect(mail.html).not.toContain("<svg");
    expect(mail.html).not.toContain("<b>Count me in</b>");
    expect(mail.html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;");
    expect(mail.html).toContain("&lt;b&gt;Count me in&lt;/b&gt;");
    expect(mail.html).toMatch(/Dear all,<br\/?>/);
    expect(mail.text).toContain(`> ${hostile}`);
  });

  it("never puts a javascript: link behind the button", () => {
    const mail = renderMail(invitation({ link: "javascript:alert(1)" }));
    expect(mail.html).not.toContain('href="javascript:');
    expect(mail.html).toContain('href="#"');
  });

  it("gives the confirmation its cancel link", () => {
    const mail = renderMail(confirmed());
    expect(mail.text).toContain("https://rollcall.test/m/ses_0h4k8m2q9rvt3x7c1a5d.manage-secret");
    expect(mail.html).toContain('href="https://rollcall.test/m/ses_0h4k8m2q9rvt3x7c1a5d.manage-secret"');
  });
});

describe("the confirmation's calendar file", () => {
  function parsed(message: MailMessage) {
    const attachment = renderMail(message, new Date("2026-05-01T12:00:00Z")).attachments?.[0];
    expect(attachment).toMatchObject({ filename: "session.ics", contentType: expect.stringContaining("text/calendar") });
    const text = new TextDecoder().decode(Uint8Array.from(atob(attachment!.content), (c) => c.charCodeAt(0)));
    const calendar = new ICAL.Component(ICAL.parse(text));
    for (const zone of calendar.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(zone);
    return { text, calendar, events: calendar.getAllSubcomponents("vevent") };
  }

  it("has one event at the right start and end, in the session's zone", () => {
    const { text, events } = parsed(confirmed());
    expect(events).toHaveLength(1);
    const event = new ICAL.Event(events[0]!);
    expect(event.summary).toBe("Forest camp — week 1");
    expect(event.uid).toBe("ses_0h4k8m2q9rvt3x7c1a5d@rollcall.test");
    expect(event.startDate.zone?.tzid).toBe("Europe/Paris");
    expect(event.startDate.toString()).toBe("2026-06-01T09:00:00");
    expect(event.endDate.toString()).toBe("2026-06-01T12:00:00");
    expect(event.startDate.toJSDate().toISOString()).toBe("2026-06-01T07:00:00.000Z");
    expect(event.endDate.toJSDate().toISOString()).toBe("2026-06-01T10:00:00.000Z");
    expect(text).toContain("DTSTART;TZID=Europe/Paris:20260601T090000");
    expect(text).toContain("DTSTAMP:20260501T120000Z"); // always UTC (RFC 5545 §3.8.7.2)
    expect(text).not.toContain("X-WR-TIMEZONE");
    expect(event.description).toContain("https://rollcall.test/m/ses_0h4k8m2q9rvt3x7c1a5d.manage-secret");
  });

  it.each([
    ["America/New_York", "2026-11-02T14:30:00.000Z", "2026-11-02T09:30:00"], // the day after DST ends
    ["Asia/Kolkata", "2026-01-10T04:30:00.000Z", "2026-01-10T10:00:00"], // half-hour offset, no DST
    ["Australia/Sydney", "2026-07-01T00:00:00.000Z", "2026-07-01T10:00:00"], // southern winter
    ["Europe/Paris", "2026-12-24T17:00:00.000Z", "2026-12-24T18:00:00"], // winter time
  ])("places the event right in %s", (timeZone, startsAt, local) => {
    const { events } = parsed({ ...confirmed(), data: { ...confirmed().data, timeZone, startsAt, durationMinutes: 90 } });
    const event = new ICAL.Event(events[0]!);
    expect(event.startDate.zone?.tzid).toBe(timeZone);
    expect(event.startDate.toString()).toBe(local);
    expect(event.startDate.toJSDate().toISOString()).toBe(startsAt);
    expect(event.endDate.toJSDate().getTime() - event.startDate.toJSDate().getTime()).toBe(90 * 60_000);
  });

  it("writes UTC sessions as UTC times", () => {
    const { events } = parsed({ ...confirmed(), data: { ...confirmed().data, timeZone: "UTC" } });
    const event = new ICAL.Event(events[0]!);
    expect(event.startDate.toJSDate().toISOString()).toBe("2026-06-01T07:00:00.000Z");
  });

  it("describes the zone's transitions around the event", () => {
    const text = vtimezone("Europe/Paris", Date.parse("2026-06-01T07:00:00Z"));
    expect(text).toContain("TZID:Europe/Paris");
    expect(text).toContain("BEGIN:DAYLIGHT\r\nDTSTART:20260329T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200");
    expect(text).toContain("BEGIN:STANDARD\r\nDTSTART:20261025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100");
  });

  it("is attached to the promotion too, but not to an invitation", () => {
    expect(renderMail(every[3]!).attachments).toHaveLength(1);
    expect(renderMail(invitation()).attachments).toBeUndefined();
  });
});

describe("what a family reads", () => {
  const org: SenderSettings = { orgName: "Maple Grove Summer Camp", ownerEmail: "owner@maple.example" };
  const now = new Date("2026-05-01T12:00:00Z");
  // Sign-in links, the budget alert and the minimum's question go to the org's own members.
  const forParticipants = every.filter((m) => !["sign_in", "mail_budget_alert", "minimum_ask"].includes(m.template));

  it.each(forParticipants.flatMap((m) => [m, { ...m, locale: "fr" } as MailMessage]).map((m) => [m.template, m.locale, m] as const))(
    "%s in %s names the org and the session, its date and time in its zone",
    (_template, locale, message) => {
      const mail = renderMail(message, now, org);
      for (const part of [mail.text, mail.html]) {
        expect(part).toContain("Maple Grove Summer Camp");
        expect(part).toContain("Forest camp — week 1");
        expect(part).toMatch(locale === "fr" ? /lundi 1er juin 2026/ : /Monday, June 1, 2026/);
        expect(part).toContain("(Europe/Paris, GMT+2)");
        expect(part).not.toMatch(/organiser of this session|organisateur de cette session/i);
      }
      expect(mail.text.split("\n")[0]).toBe("Maple Grove Summer Camp");
      expect(mail.text).toContain(
        locale === "fr"
          ? "Envoyé par Rollcall pour le compte de Maple Grove Summer Camp."
          : "Sent by Rollcall on behalf of Maple Grove Summer Camp.",
      );
      // Answers reach the org: the owner's address is the Reply-To when the org set none.
      expect(mail.text).toContain(locale === "fr" ? "il arrive chez Maple Grove Summer Camp" : "it goes to Maple Grove Summer Camp");
    },
  );

  it("says in the body who invites, and never 'the organiser of this session'", () => {
    expect(renderMail(invitation(), now, org).text).toContain("Maple Grove Summer Camp invites you to Forest camp — week 1.");
    expect(renderMail(invitation({}, "fr"), now, org).text).toContain("Maple Grove Summer Camp vous invite à Forest camp — week 1.");
    expect(renderMail(every[4]!, now, org).text).toContain(
      "Maple Grove Summer Camp has withdrawn your invitation to Forest camp — week 1.",
    );
  });

  it("names the place when the session has one, and leaves the line out when not", () => {
    const placed = renderMail({ ...confirmed(), data: { ...confirmed().data, location: "Lakeside cabin, 12 Pine Road" } }, now, org);
    expect(placed.text).toContain("Where: Lakeside cabin, 12 Pine Road");
    expect(renderMail(confirmed(), now, org).text).not.toContain("Where:");
  });

  it("tells someone on the waitlist their place in line, in both languages, and renders a message queued without it", () => {
    const line = (locale: "en" | "fr", waitlistPosition?: number): MailMessage<"waitlisted"> => ({
      id: "msg_line",
      template: "waitlisted",
      to: "a@example.org",
      locale,
      data: { ...session, manageToken: "tok", ...(waitlistPosition ? { waitlistPosition } : {}) },
    });
    expect(renderMail(line("en", 2), now, org).text).toContain("is full, so you are on the waitlist (position 2). If a seat frees up");
    expect(renderMail(line("fr", 2), now, org).text).toContain("vous êtes sur la liste d’attente (position 2). Si une place se libère");
    expect(renderMail(line("en"), now, org).text).toContain("is full, so you are on the waitlist. If a seat frees up");
    expect(renderMail(line("fr"), now, org).text).toContain("vous êtes sur la liste d’attente. Si une place se libère");
  });

  it("says in a paid seat's confirmation what was paid and until when cancelling refunds it, in both languages", () => {
    const paid = (locale: "en" | "fr", refundUntil: string | null): MailMessage<"registration_confirmed"> => ({
      ...confirmed(locale),
      data: { ...confirmed(locale).data, price: { amount: 2500, currency: "CAD" }, paid: { amount: 2000, currency: "CAD", refundUntil } },
    });
    const until = "2026-05-25T07:00:00.000Z";
    const text = (m: MailMessage) => renderMail(m, now, org).text.replace(/\s+/g, " ");
    expect(text(paid("en", until))).toMatch(
      /You paid CA\$20\.00\. If you cancel by Monday, May 25, 2026,? at 9:00\sAM \(Europe\/Paris, GMT\+2\), your payment will be refunded in full; after that, under this session's refund policy, it is not refunded\. Can't make it\?/,
    );
    expect(text(paid("fr", until))).toMatch(
      /Vous avez payé 20,00\s\$CA\. Si vous annulez jusqu’au lundi 25 mai 2026 à 09:00 \(Europe\/Paris, GMT\+2\), votre paiement vous sera remboursé intégralement ; ensuite, selon les conditions de remboursement de cette séance, il n’est pas remboursé\./,
    );
    expect(text(paid("en", null))).toContain(
      "You paid CA$20.00. Under this session's refund policy, your payment is not refunded if you cancel.",
    );
    expect(text(paid("fr", null))).toContain(
      "Selon les conditions de remboursement de cette séance, votre paiement n’est pas remboursé si vous annulez.",
    );
    // Free, or queued before the note existed: no sentence on money.
    expect(text(confirmed())).not.toContain("You paid");
  });

  it("does not promise that a reply reaches the org when it has no address to reply to", () => {
    const mail = renderMail(confirmed(), now, { orgName: "Maple Grove Summer Camp", ownerEmail: null });
    expect(mail.text).toContain("Maple Grove Summer Camp");
    expect(mail.text).not.toContain("Reply to this email");
  });

  it("gives the promotion its cancel link, in the text and in the calendar file", () => {
    const mail = renderMail(every[3]!, now, org);
    expect(mail.text).toContain("Cancel my registration: https://rollcall.test/m/ses_0h4k8m2q9rvt3x7c1a5d.promoted");
    const ics = new TextDecoder().decode(Uint8Array.from(atob(mail.attachments![0]!.content), (c) => c.charCodeAt(0)));
    expect(ics.replace(/\r\n /g, "")).toContain("https://rollcall.test/m/ses_0h4k8m2q9rvt3x7c1a5d.promoted");
  });
});

describe("the calendar file of a cancellation", () => {
  const ics = (message: MailMessage, stamp: Date) => {
    const attachment = renderMail(message, stamp, { orgName: "Maple Grove Summer Camp", ownerEmail: "owner@maple.example" })
      .attachments?.[0];
    if (!attachment) return null;
    const text = new TextDecoder().decode(Uint8Array.from(atob(attachment.content), (c) => c.charCodeAt(0)));
    const calendar = new ICAL.Component(ICAL.parse(text));
    return { attachment, text, calendar, event: calendar.getFirstSubcomponent("vevent")! };
  };
  const cancelledRegistration = every.find((m) => m.template === "registration_cancelled")!;
  const cancelledSession = every.find((m) => m.template === "session_cancelled")!;

  it.each([
    ["registration_cancelled", cancelledRegistration],
    ["session_cancelled", cancelledSession],
  ] as const)(
    "withdraws the confirmation's event when a %s takes a seat away: METHOD:CANCEL, same UID, higher SEQUENCE",
    (_name, message) => {
      const confirmation = ics(confirmed(), new Date("2026-05-01T12:00:00Z"))!;
      const cancellation = ics(message, new Date("2026-05-03T08:30:00Z"))!;
      expect(cancellation.attachment.contentType).toBe("text/calendar; charset=utf-8; method=CANCEL");
      expect(cancellation.calendar.getFirstPropertyValue("method")).toBe("CANCEL");
      expect(confirmation.calendar.getFirstPropertyValue("method")).toBe("PUBLISH");
      expect(cancellation.event.getFirstPropertyValue("uid")).toBe(confirmation.event.getFirstPropertyValue("uid"));
      expect(cancellation.event.getFirstPropertyValue("status")).toBe("CANCELLED");
      expect(Number(cancellation.event.getFirstPropertyValue("sequence"))).toBeGreaterThan(
        Number(confirmation.event.getFirstPropertyValue("sequence")),
      );
      expect(String(cancellation.event.getFirstPropertyValue("organizer"))).toBe("mailto:owner@maple.example");
      expect(cancellation.event.getFirstProperty("organizer")!.getParameter("cn")).toBe("Maple Grove Summer Camp");
    },
  );

  it("sends none when a waitlist place ends (there was no event to withdraw)", () => {
    const leaving = { ...cancelledRegistration, data: { ...cancelledRegistration.data, hadSeat: false } } as MailMessage;
    expect(ics(leaving, new Date())).toBeNull();
    expect(renderMail(leaving).text).toContain("You have left the waitlist for Forest camp — week 1, as you asked.");
  });

  it("says in the email that it is cancelled, and who cancelled it", () => {
    expect(renderMail(cancelledRegistration).subject).toBe("Registration cancelled: Forest camp — week 1");
    expect(renderMail(cancelledRegistration).text).toContain("Your registration for Forest camp — week 1 is cancelled, as you asked.");
    const byOrg = {
      ...cancelledRegistration,
      locale: "fr",
      data: { ...cancelledRegistration.data, cancelledBy: "provider" },
    } as MailMessage;
    expect(renderMail(byOrg, new Date(), { orgName: "Camp des Pins" }).text).toContain(
      "Camp des Pins a annulé votre inscription à Forest camp — week 1.",
    );
  });
});

describe("the participant's page under every participant email", () => {
  const org: SenderSettings = { orgName: "Forest Camp", orgId: "org_0123456789ABCDEFGHIJ" };
  const page = "https://rollcall.test/p/org_0123456789ABCDEFGHIJ";
  const toMembers = new Set(["sign_in", "mail_budget_alert"]);

  for (const message of every)
    for (const locale of ["en", "fr"] as const)
      it(`${message.template} (${message.id}, ${locale}) ${toMembers.has(message.template) ? "has no" : "links to the"} page of the org`, () => {
        const { html, text } = renderMail({ ...message, locale } as MailMessage, new Date("2026-05-01T10:00:00Z"), org);
        if (toMembers.has(message.template)) {
          expect(text).not.toContain("/p/");
          return;
        }
        expect(html).toContain(`href="${page}"`);
        expect(text).toContain(page);
        expect(text).toContain(locale === "fr" ? "Toutes vos séances avec Forest Camp" : "All your sessions with Forest Camp");
      });

  it("has no page link when the org is not known", () => {
    expect(renderMail(every[0]!, new Date("2026-05-01T10:00:00Z")).text).not.toContain("/p/");
  });
});

describe("a participant's link to their own page", () => {
  const message: MailMessage<"page_link"> = {
    id: "m_page",
    template: "page_link",
    to: "parent@example.org",
    locale: "en",
    data: { link: "https://rollcall.test/p/l/abc", expiresAt: "2026-05-01T10:15:00Z", orgName: "Forest <Camp>" },
  };

  it.each([
    ["en", "Your page with Forest <Camp>", "Open my page", "works once, for 15 minutes"],
    ["fr", "Votre espace chez Forest <Camp>", "Ouvrir mon espace", "qu’une fois, pendant 15 minutes"],
  ] as const)("names the org, not a sign-in, in %s", (locale, subject, button, once) => {
    const mail = renderMail({ ...message, locale }, new Date("2026-05-01T10:00:00Z"));
    expect(mail.subject).toBe(subject);
    expect(mail.text).toContain(once);
    expect(mail.text).not.toMatch(/sign in|connecter/i);
    expect(mail.html).toContain(`href="https://rollcall.test/p/l/abc"`);
    expect(mail.html).toContain(button);
    expect(mail.html).toContain("Forest &lt;Camp&gt;");
    expect(mail.html).not.toContain("Forest <Camp>");
  });
});
