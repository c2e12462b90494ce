// The invitation as a recipient would see it, for the invite modal's preview: the same template
// and the same data as a real send, with a sample link. It takes the very body that creates the
// invitations (invitations/schemas.ts), so the modal sends one object to both.

import { DEFAULT_LOCALE } from "../i18n/locales";
import { expiryOnSend, invitationLink } from "../invitations/lifecycle";
import type { PreviewInvitationsInput } from "../invitations/schemas";
import { parseRecipients } from "../recipients/parse";
import type { SessionView } from "../sessions/schemas";
import type { MailMessage } from "./message";
import { renderMail } from "./render";
import type { SenderSettings } from "./sender";

/** The greeting's name: the one given, else the first recipient's when there is one. */
function previewName(input: PreviewInvitationsInput): string | null {
  if (input.name) return input.name;
  return input.recipients === undefined ? null : (parseRecipients(input.recipients).recipients[0]?.name ?? null);
}

export function previewInvitation(session: SessionView, input: PreviewInvitationsInput, baseUrl: string, now: Date, org?: SenderSettings) {
  // Scheduled, the invitation's days to answer start when it goes out.
  const sentAt = input.sendAt && input.send === "now" ? new Date(input.sendAt) : now;
  const message: MailMessage<"invitation"> = {
    id: "preview",
    template: "invitation",
    to: "preview@example.org",
    locale: input.locale ?? DEFAULT_LOCALE,
    sessionId: session.id,
    data: {
      name: previewName(input),
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
      requireEmailMatch: input.requireEmailMatch,
      expiresAt: expiryOnSend(input.expiresAt ? new Date(input.expiresAt).toISOString() : null, input.expiresInDays ?? null, sentAt),
    },
  };
  const { subject, html, text } = renderMail(message, now, org);
  return { subject, html, text };
}
