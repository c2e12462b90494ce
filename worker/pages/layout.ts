// The frame of every hosted page: language, the widget script, and a calm default look.
// Every interpolated value goes through hono/html, which escapes it.

import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";

export type Locale = "en" | "fr";

/** The visitor's language from Accept-Language: French when they prefer it, else English. */
export function pageLocale(acceptLanguage: string | undefined): Locale {
  const first = (acceptLanguage ?? "").split(",")[0]?.trim().toLowerCase() ?? "";
  return first.startsWith("fr") ? "fr" : "en";
}

export function page(locale: Locale, title: string, body: HtmlEscapedString | Promise<HtmlEscapedString>) {
  return html`<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex">
<title>${title}</title>
<script type="module" src="/widget/rollcall.js"></script>
<style>
  body { font-family: system-ui, sans-serif; margin: 0; background: #f5f6f8; color: #1b1f24; }
  main { max-width: 40rem; margin: 3rem auto; padding: 0 1rem; }
  .card { background: #fff; border-radius: 12px; padding: 1.5rem; box-shadow: 0 1px 3px rgb(0 0 0 / 0.08); }
  h1 { font-size: 1.4rem; margin-top: 0; }
  button { font: inherit; padding: 0.6rem 1.1rem; border-radius: 8px; border: 0; background: #b42318; color: #fff; cursor: pointer; }
  button:focus-visible { outline: 3px solid #1849a9; outline-offset: 2px; }
  footer { margin-top: 2rem; font-size: 0.85rem; color: #5b6470; text-align: center; }
</style>
</head>
<body>
<main>${body}</main>
<footer>Rollcall</footer>
</body>
</html>`;
}
