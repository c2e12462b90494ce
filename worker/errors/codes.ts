// The one error vocabulary of the API: every stable `code` a client may see, and its HTTP status.
// Adding a code here is adding to the public contract.

export const errorStatus = {
  // 400 — the request itself is broken
  malformed_request: 400,
  // 401 / 403 — who is asking
  unauthenticated: 401,
  invalid_signature: 401,
  forbidden: 403,
  invalid_code: 403,
  email_verification_required: 403,
  invalid_verification_code: 403,
  origin_not_allowed: 403,
  // 404
  not_found: 404,
  // 409 — the request is fine but the session's state refuses it
  capacity_full: 409,
  capacity_below_taken: 409,
  already_registered: 409,
  registration_not_open: 409,
  registration_closed: 409,
  session_cancelled: 409,
  idempotency_conflict: 409,
  invalid_transition: 409,
  invitation_used: 409,
  already_member: 409,
  last_owner: 409,
  capacity_limit: 409,
  too_many_registrations: 409,
  // 410 — the link existed but is gone
  invitation_expired: 410,
  invitation_cancelled: 410,
  verification_code_expired: 410,
  confirmation_expired: 410,
  // 413 / 415
  payload_too_large: 413,
  unsupported_media_type: 415,
  // 422 — the body parsed but does not make sense
  validation_failed: 422,
  invalid_emails: 422,
  too_many_recipients: 422,
  // 429
  rate_limited: 429,
  // 5xx
  internal_error: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export const errorTitles: Record<ErrorCode, string> = {
  malformed_request: "The request could not be read",
  unauthenticated: "Authentication required",
  invalid_signature: "The webhook signature is missing, wrong or too old",
  forbidden: "Not allowed",
  invalid_code: "The registration code is not valid",
  email_verification_required: "Confirm your email address with the code we send to it",
  invalid_verification_code: "That code is not the one we sent",
  origin_not_allowed: "Calls from this web page are not allowed",
  verification_code_expired: "That code has expired or was tried too often; ask for a new one",
  not_found: "Not found",
  capacity_full: "The session is full",
  capacity_below_taken: "Capacity cannot go below the seats already taken",
  already_registered: "This email is already registered for the session",
  registration_not_open: "Registration is not open yet",
  registration_closed: "Registration is closed",
  session_cancelled: "The session is cancelled",
  idempotency_conflict: "Idempotency key reused with a different request",
  invalid_transition: "That change is not possible in the current state",
  invitation_used: "The invitation has already been used",
  already_member: "This address is already a member of the organisation",
  last_owner: "An organisation keeps at least one owner",
  capacity_limit: "The capacity cannot go above the maximum",
  too_many_registrations: "Too many registrations from one network are waiting for this session",
  confirmation_expired: "The registration was not confirmed in time",
  invitation_expired: "The invitation has expired",
  invitation_cancelled: "The invitation was cancelled",
  payload_too_large: "The request body is too large",
  unsupported_media_type: "The request body must be JSON",
  validation_failed: "The request has invalid fields",
  invalid_emails: "Some email addresses are not valid",
  too_many_recipients: "Too many recipients",
  rate_limited: "Too many requests",
  internal_error: "Something went wrong on our side",
  unavailable: "Temporarily unavailable",
};
