// The words of the invitation email's editor in English (the shared ones included).

import { en } from "../i18n/en";

export const wordsEn = {
  ...en,
  title: (who: string) => `The email to ${who}`,
  hint: "A field left empty keeps the email's own words, in the person's language.",
  subject: "Subject",
  buttonText: "Button",
  message: "Message",
  messageHint: "Quoted in the email, after its first sentence.",
  saveAndSend: "Save and send",
  save: "Save",
  close: "Close",
  gone: "This invitation is no longer to send: it was sent or cancelled meanwhile.",
};
