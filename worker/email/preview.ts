// The invitation as a recipient would see it, for the invite modal's preview: the same template
// and the same data as a real send, with a sample link.

import type { Locale } from "../i18n/locales";
import { expiryOnSend, invitationLink } from "../invitations/lifecycle";
import type { SessionView } from "../sessions/schemas";
import type { MailMessage } from "./message";
import { renderMail } from "./render";
import type { SenderSettings } from "./sender";

export type PreviewInput = {
  subject?: string;
  buttonText?: string;
  message?: string;
  locale: Locale;
  discountCode?: string;
  holdSeat: boolean;
  expiresAt?: string;
  expiresInDays?: number;
  name?: string;
};

export function previewInvitation(session: SessionView, input: PreviewInput, baseUrl: string, now: Date, org?: SenderSettings) {
  const message: MailMessage<"invitation"> = {
    id: "preview",
    template: "invitation",
    to: "preview@example.org",
    locale: input.locale,
    sessionId: session.id,
    data: {
      name: input.name ?? null,
      sessionTitle: session.title,
      startsAt: session.startsAt,
      durationMinutes: session.durationMinutes,
      timeZone: session.timeZone,
      baseUrl,
      link: invitationLink(null, baseUrl, `${session.id}.sample-link-for-preview`),
      subject: input.subject ?? null,
      buttonText: input.buttonText ?? null,
      message: input.message ?? null,
      discountCode: input.discountCode ?? null,
      holdSeat: input.holdSeat,
      expiresAt: expiryOnSend(input.expiresAt ? new Date(input.expiresAt).toISOString() : null, input.expiresInDays ?? null, now),
    },
  };
  const { subject, html, text } = renderMail(message, now, org);
  return { subject, html, text };
}
