// What free text (names, titles, descriptions) may hold: every script and either direction, but
// only well-formed Unicode (a lone surrogate would be stored as replacement characters, not as
// sent) and no control characters besides tabs and line breaks; one-line fields refuse line breaks too.

import { because } from "../errors/fields";

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

export const isPlainText = (value: string) => !LONE_SURROGATE.test(value) && !CONTROL.test(value);

/** A refinement's sentence and code for text that is not plain (errors/fields.ts). */
export const PLAIN_TEXT = because("not_plain_text", "must be text without control characters or broken Unicode");

// Line breaks of every kind, Unicode's own separators included: what a one-line field (a title
// that becomes an email subject) may not hold.
const LINE_BREAK = /[\r\n\u0085\u2028\u2029]/;

export const isSingleLine = (value: string) => !LINE_BREAK.test(value);

export const SINGLE_LINE = because("not_one_line", "must be a single line, without line breaks");
