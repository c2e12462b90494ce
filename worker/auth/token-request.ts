// The header the widget sends when it asks a `token-url` for a widget token. The hosted admin's
// token route requires it: a page of another site can only send a custom header when CORS allows
// it, and the hosted admin allows no other site, so a request with it comes from the admin's own
// pages. Imported by the widget too (api/tokens.ts): one name for both.

export const TOKEN_REQUEST_HEADER = "rollcall-token-request";
