// What free text (names, titles, descriptions) may hold: every script and either direction, but
// only well-formed Unicode (a lone surrogate would be stored as replacement characters, not as
// sent) and no control characters besides tabs and line breaks.

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

export const isPlainText = (value: string) => !LONE_SURROGATE.test(value) && !CONTROL.test(value);

export const PLAIN_TEXT_MESSAGE = "must be text without control characters or broken Unicode";
