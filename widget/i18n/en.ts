// English words every element uses, and a sentence for each problem the API can answer with.
// Each element adds its own words beside it (join/join.en.ts…); the French files have the same keys (typed).

import type { ProblemCode } from "../api/client";

/** Every code of the API's problems (and "network"): a missing one fails the typecheck. */
const problems: Record<ProblemCode, string> = {
  malformed_request: "The request could not be read. Reload the page and try again.",
  unauthenticated: "Your sign-in has expired. Reload the page.",
  invalid_signature: "The request’s signature was refused.",
  forbidden: "This token does not allow that.",
  invalid_code: "This code is not valid.",
  email_verification_required: "Confirm your address with the code we email to it.",
  invalid_verification_code: "That code is not the one we sent.",
  origin_not_allowed: "This website may not use Rollcall for this organisation.",
  not_found: "This session could not be found.",
  capacity_full: "The session is full.",
  capacity_below_taken: "Capacity cannot go below the seats already taken.",
  already_registered: "This email is already registered for the session.",
  registration_not_open: "Registration is not open yet.",
  registration_closed: "Registration is closed.",
  session_cancelled: "This session is cancelled.",
  idempotency_conflict: "This request was already sent with other values. Try again.",
  invalid_transition: "That is no longer possible: the roster has changed.",
  invitation_used: "This invitation has already been used.",
  already_member: "This address is already a member of the organisation.",
  last_owner: "An organisation keeps at least one owner.",
  invitation_expired: "This invitation has expired.",
  invitation_cancelled: "This invitation was cancelled.",
  verification_code_expired: "That code has expired. Ask for a new one.",
  payload_too_large: "Too much at once: send less and try again.",
  unsupported_media_type: "The request could not be read. Reload the page and try again.",
  validation_failed: "Some fields are missing or invalid.",
  invalid_emails: "Some addresses are not valid.",
  too_many_recipients: "Too many addresses.",
  rate_limited: "Too many attempts. Wait a minute and try again.",
  internal_error: "Something went wrong on our side. Try again.",
  unavailable: "The service is briefly unavailable. Try again in a moment.",
  network: "The service cannot be reached. Check your connection and try again.",
};

export const en = {
  problems,
  loading: "Loading…",
  error: "Something went wrong. Try again.",
  retry: "Try again",
  close: "Close",
  back: "Back",
  name: "Name",
  email: "Email",
  cancel: "Cancel",
  send: "Send",
  remove: "Remove",
};
