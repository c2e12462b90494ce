// A tagged template for HTML in which every interpolated value is escaped unless it is already
// markup built the same way. Templates write `html\`<p>${name}</p>\`` and cannot forget to escape.

const brand = Symbol("SafeHtml");

/** Markup that is known to be safe: produced by `html`, `join` or `unsafeRaw`. */
export type SafeHtml = { readonly [brand]: true; readonly value: string; toString(): string };

function safe(value: string): SafeHtml {
  return { [brand]: true, value, toString: () => value };
}

function isSafe(value: unknown): value is SafeHtml {
  return typeof value === "object" && value !== null && brand in value;
}

const entities: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "`": "&#96;" };

/** Escapes text for an element body or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => entities[c]!);
}

export type HtmlValue = SafeHtml | string | number | null | undefined | false | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return "";
  if (Array.isArray(value)) return value.map(render).join("");
  if (isSafe(value)) return value.value;
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return safe(out);
}

/** Markup from a trusted constant (never from data). */
export function unsafeRaw(markup: string): SafeHtml {
  return safe(markup);
}

/** Plain text with its line breaks kept: each line escaped, joined with <br>. */
export function multiline(text: string): SafeHtml {
  return safe(
    text
      .split(/\r\n|\r|\n/)
      .map(escapeHtml)
      .join("<br>"),
  );
}

/**
 * A URL fit for an href: only http(s) and mailto survive, anything else (javascript:, data:)
 * becomes "#". The result is still escaped by `html` when interpolated.
 */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return ["http:", "https:", "mailto:"].includes(parsed.protocol) ? parsed.href : "#";
  } catch {
    return "#";
  }
}
