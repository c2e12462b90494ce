// SMS texts: segment counting against the real GSM 03.38 table, every SMS message type in English
// and French within two segments with the org's name and the link, and the channel each message
// type takes.
import { describe, expect, it } from "vitest";
import type { MailMessage, MailTemplate } from "../../worker/email/message";
import { LOCALES } from "../../worker/i18n/locales";
import { channelFor } from "../../worker/sms/channel";
import { countSegments, foldToGsm7, isGsm7 } from "../../worker/sms/segments";
import { MAX_SEGMENTS, SMS_TEMPLATES, type SmsTemplate, smsText } from "../../worker/sms/texts";

describe("countSegments", () => {
  it("counts GSM-7 texts in 160 septets alone and 153 per part", () => {
    expect(countSegments("a".repeat(160))).toEqual({ encoding: "GSM-7", units: 160, segments: 1 });
    expect(countSegments("a".repeat(161))).toEqual({ encoding: "GSM-7", units: 161, segments: 2 });
    expect(countSegments("a".repeat(306)).segments).toBe(2);
    expect(countSegments("a".repeat(307)).segments).toBe(3);
    expect(countSegments("").segments).toBe(1);
  });

  it("counts the extension table's characters as two septets and never splits one", () => {
    expect(countSegments("€".repeat(80))).toEqual({ encoding: "GSM-7", units: 160, segments: 1 });
    expect(countSegments("€".repeat(81)).segments).toBe(2);
    // 152 plain septets then an escape pair: the pair does not fit in the first part's last septet.
    expect(countSegments(`${"a".repeat(152)}[${"a".repeat(152)}`)).toEqual({ encoding: "GSM-7", units: 306, segments: 3 });
    for (const ch of "^{}\\[~]|€") expect(countSegments(ch).units).toBe(2);
  });

  it("reads French accents from the real table: é è à ù É Ç are GSM-7, ê â ô î û ç ë ï are not", () => {
    for (const ch of "éèàùìòÉÇ") expect(isGsm7(ch), ch).toBe(true);
    for (const ch of "êâôîûçëïœ’") expect(isGsm7(ch), ch).toBe(false);
    expect(countSegments("Réunion à Paris").encoding).toBe("GSM-7");
    expect(countSegments("Fête").encoding).toBe("UCS-2");
  });

  it("counts UCS-2 texts in 70 units alone and 67 per part, an emoji as two units never split", () => {
    expect(countSegments(`ç${"a".repeat(69)}`)).toEqual({ encoding: "UCS-2", units: 70, segments: 1 });
    expect(countSegments(`ç${"a".repeat(70)}`).segments).toBe(2);
    expect(countSegments(`ç${"a".repeat(133)}`).segments).toBe(2);
    expect(countSegments(`ç${"a".repeat(134)}`).segments).toBe(3);
    expect(countSegments(`${"a".repeat(66)}😀${"a".repeat(66)}`)).toEqual({ encoding: "UCS-2", units: 134, segments: 3 });
  });

  it("folds text to GSM-7 when asked", () => {
    expect(foldToGsm7("Fête à l’île, François — “ok”")).toBe(`Fete à l'ile, Francois - "ok"`);
    expect(isGsm7(foldToGsm7("日本 😀"))).toBe(true);
  });
});

const session = {
  name: "Chloé",
  sessionTitle: "Yoga",
  startsAt: "2026-06-01T07:00:00.000Z",
  durationMinutes: 60,
  timeZone: "Europe/Paris",
  baseUrl: "https://rollcall.example",
  location: null,
};
const link = "https://rollcall.example/r/inv_0123456789abcdefghijklmnopqrstuv";
const programLink = "https://rollcall.example/programs/i/0123456789abcdefghijklmnopqrstuvwxyzABCDEFG";
const token = "mt_0123456789abcdefghijklmnopqrstuvwxyzABCD";

function messageOf(template: SmsTemplate, locale: "en" | "fr", title = "Yoga"): MailMessage & { template: SmsTemplate } {
  const s = { ...session, sessionTitle: title };
  const data = {
    invitation: {
      ...s,
      link,
      subject: null,
      buttonText: null,
      message: null,
      discountCode: null,
      holdSeat: false,
      expiresAt: null,
    },
    one_time_code: { ...s, code: "482913", expiresAt: "2026-05-01T10:00:00.000Z" },
    registration_confirmed: { ...s, manageToken: token },
    promoted: { ...s, manageToken: token },
    registration_cancelled: { ...s, cancelledBy: "organizer", hadSeat: true },
    session_cancelled: { ...s, cancelledBy: "organizer", hadSeat: true },
    invitation_cancelled: s,
    invitation_session_cancelled: { ...s, orgName: "Studio" },
    program_invitation: {
      name: "Chloé",
      programName: title === "Yoga" ? "Yoga week" : title,
      link: programLink,
      more: false,
      sessions: [1, 2, 3].map((day) => ({
        title: "Yoga",
        startsAt: `2026-06-0${day}T07:00:00.000Z`,
        durationMinutes: 60,
        timeZone: "Europe/Paris",
      })),
    },
  }[template];
  return { id: "msg_1", template, to: "a@example.com", locale, data } as MailMessage & { template: SmsTemplate };
}

/** What each text must carry besides the org's name. */
const carries: Record<SmsTemplate, string[]> = {
  invitation: [link],
  one_time_code: ["482913"],
  registration_confirmed: [`https://rollcall.example/m/${token}`],
  promoted: [`https://rollcall.example/m/${token}`],
  registration_cancelled: [],
  session_cancelled: [],
  invitation_cancelled: [],
  invitation_session_cancelled: [],
  program_invitation: [programLink, "Yoga week", "3"],
};

describe("smsText", () => {
  for (const template of SMS_TEMPLATES)
    for (const locale of LOCALES)
      it(`${template} (${locale}) names the org, carries its link or code, and fits in one GSM-7 segment or two`, () => {
        const text = smsText(messageOf(template, locale), "Studio Lumière");
        expect(text).toContain("Studio Lumière");
        for (const part of carries[template]) expect(text).toContain(part);
        const count = countSegments(text);
        expect(count.encoding).toBe("GSM-7");
        expect(count.segments).toBeLessThanOrEqual(MAX_SEGMENTS);
      });

  it("writes the session's time in its zone, named", () => {
    expect(smsText(messageOf("registration_cancelled", "en"), "Studio")).toContain("Mon 1 Jun 09:00 (Europe/Paris)");
    expect(smsText(messageOf("registration_cancelled", "fr"), "Studio")).toContain("lun. 01/06 09:00 (Europe/Paris)");
  });

  it("keeps a long title and a name outside GSM-7 within two segments, the link whole", () => {
    const title = `Fête de l’été ${"très longue ".repeat(30)}`;
    for (const locale of LOCALES) {
      const text = smsText(messageOf("invitation", locale, title), "Crêperie Françoise 🎉");
      expect(countSegments(text).segments).toBeLessThanOrEqual(MAX_SEGMENTS);
      expect(text).toContain(link);
      expect(text).toContain("Creperie Francoise");
      expect(text).toContain("Fete de l'été");
    }
  });

  it("keeps a long program name outside GSM-7 within two segments, the link whole, and says when more sessions were added", () => {
    const name = `Fête de l’été ${"très longue ".repeat(30)}`;
    for (const locale of LOCALES) {
      const message = messageOf("program_invitation", locale, name);
      const text = smsText(message, "Crêperie Françoise 🎉");
      expect(countSegments(text).segments).toBeLessThanOrEqual(MAX_SEGMENTS);
      expect(text).toContain(programLink);
      expect(text).toContain("Fete de l'été");
      const more = smsText({ ...message, data: { ...message.data, more: true } } as typeof message, "Studio");
      expect(more).not.toBe(smsText(message, "Studio"));
      expect(more).toContain(programLink);
    }
    expect(smsText(messageOf("program_invitation", "en"), "Studio")).toBe(
      `Studio: you are invited to Yoga week, 3 sessions from Mon 1 Jun 09:00 (Europe/Paris). See them and answer here: ${programLink}`,
    );
    expect(smsText(messageOf("program_invitation", "fr"), "Studio")).toBe(
      `Studio vous invite à Yoga week, 3 séances à partir du lun. 01/06 09:00 (Europe/Paris). Voyez-les et répondez ici : ${programLink}`,
    );
  });

  it("keeps the exact text, accents and all, when it fits as it is", () => {
    const text = smsText(messageOf("registration_cancelled", "fr", "Fête"), "Studio");
    expect(text).toContain("Fête");
    expect(countSegments(text)).toMatchObject({ encoding: "UCS-2", segments: 2 });
  });
});

describe("smsText with the participant's page", () => {
  const page = "https://rollcall.example/p/org_0123456789ABCDEFGHIJ";
  for (const template of SMS_TEMPLATES)
    for (const locale of LOCALES)
      it(`${template} (${locale}) ends with the person's page, whole, and still fits in two GSM-7 segments`, () => {
        const text = smsText(messageOf(template, locale), "Studio Lumière", page);
        expect(text.endsWith(page)).toBe(true);
        for (const part of carries[template]) expect(text).toContain(part);
        expect(countSegments(text)).toMatchObject({ encoding: "GSM-7" });
        expect(countSegments(text).segments).toBeLessThanOrEqual(MAX_SEGMENTS);
      });

  it("keeps the page and the invitation link whole when a long title must be shortened", () => {
    const title = `Fête de l’été ${"très longue ".repeat(30)}`;
    for (const locale of LOCALES) {
      const text = smsText(messageOf("invitation", locale, title), "Crêperie Françoise 🎉", page);
      expect(countSegments(text).segments).toBeLessThanOrEqual(MAX_SEGMENTS);
      expect(text).toContain(link);
      expect(text).toContain(page);
    }
  });
});

describe("channelFor", () => {
  const all: MailTemplate[] = [
    "invitation",
    "one_time_code",
    "registration_confirmed",
    "promoted",
    "registration_cancelled",
    "session_cancelled",
    "invitation_cancelled",
    "invitation_session_cancelled",
    "program_invitation",
    "waitlisted",
    "manage_link",
    "confirm_registration",
    "sign_in",
    "mail_budget_alert",
    "minimum_met",
    "minimum_ask",
  ];
  const bySms = { channel: "sms" as const, phone: "+33612345678", optedOut: false };

  for (const template of all) {
    const sms = (SMS_TEMPLATES as readonly string[]).includes(template);
    it(`${template}: ${sms ? "by SMS" : "by email"} to a contact who chose SMS, by email to everyone else`, () => {
      expect(channelFor(template, bySms)).toEqual(sms ? { channel: "sms", phone: "+33612345678" } : { channel: "email" });
      expect(channelFor(template, { ...bySms, channel: "email" })).toEqual({ channel: "email" });
      expect(channelFor(template, null)).toEqual({ channel: "email" });
    });
  }

  it("program_invitation is one of the texts: the program's one message per person goes by SMS", () => {
    expect(SMS_TEMPLATES).toContain("program_invitation");
  });

  it("falls back to email, saying why, without a phone, with an invalid one, or after STOP", () => {
    expect(channelFor("invitation", { ...bySms, phone: null })).toEqual({ channel: "email", fallback: "no_phone" });
    expect(channelFor("invitation", { ...bySms, phone: "+3361234" })).toEqual({ channel: "email", fallback: "invalid_phone" });
    expect(channelFor("invitation", { ...bySms, optedOut: true })).toEqual({ channel: "email", fallback: "opted_out" });
  });
});
