// How many SMS segments a text takes, which decides what a text costs and whether it arrives in
// one piece. Pure.
//
// - A text written only with the GSM 03.38 alphabet travels in 7-bit septets: 160 per lone
//   segment, 153 per segment of a longer text (the rest is the concatenation header). The
//   characters of the extension table (€ [ ] { } \ ^ ~ | and form feed) take two septets, an
//   escape and the character, and a segment never splits such a pair.
// - Any other character makes the whole text UCS-2: 70 UTF-16 units alone, 67 per segment of a
//   longer text, and a segment never splits a surrogate pair (an emoji).

/** GSM 03.38's basic table. `Ç` is there, `ç` is not; `é è à ù ì ò É` are, `ê â ô î û ë ï` are not. */
const GSM_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
/** The extension table: two septets each. */
const GSM_EXTENDED = "\f^{}\\[~]|€";

const basic = new Set(GSM_BASIC);
const extended = new Set(GSM_EXTENDED);

export type SmsEncoding = "GSM-7" | "UCS-2";

export type SegmentCount = {
  encoding: SmsEncoding;
  /** Septets (GSM-7) or UTF-16 units (UCS-2) the text takes. */
  units: number;
  segments: number;
};

/** Whether every character of `text` is in the GSM-7 alphabet (basic or extension table). */
export function isGsm7(text: string): boolean {
  for (const ch of text) if (!basic.has(ch) && !extended.has(ch)) return false;
  return true;
}

/** The segments `text` takes once sent. An empty text is one segment. */
export function countSegments(text: string): SegmentCount {
  if (isGsm7(text)) {
    const sizes = [...text].map((ch) => (extended.has(ch) ? 2 : 1));
    return { encoding: "GSM-7", units: sum(sizes), segments: segmentsOf(sizes, 160, 153) };
  }
  // A character beyond the BMP is a surrogate pair: two units that travel together.
  const sizes = [...text].map((ch) => ch.length);
  return { encoding: "UCS-2", units: sum(sizes), segments: segmentsOf(sizes, 70, 67) };
}

function sum(sizes: number[]): number {
  return sizes.reduce((a, b) => a + b, 0);
}

/** Characters of these sizes, in segments of `single` alone or `part` each, none split across two. */
function segmentsOf(sizes: number[], single: number, part: number): number {
  if (sum(sizes) <= single) return 1;
  let segments = 1;
  let used = 0;
  for (const size of sizes) {
    if (used + size > part) {
      segments++;
      used = 0;
    }
    used += size;
  }
  return segments;
}

/** Closest GSM-7 spellings of common characters outside it (French accents, typographic punctuation, spaces). */
const FOLDS: Record<string, string> = {
  â: "a",
  á: "a",
  ã: "a",
  ê: "e",
  ë: "e",
  î: "i",
  ï: "i",
  í: "i",
  ô: "o",
  ó: "o",
  õ: "o",
  û: "u",
  ú: "u",
  ç: "c",
  ÿ: "y",
  À: "A",
  Â: "A",
  Á: "A",
  È: "E",
  Ê: "E",
  Ë: "E",
  Î: "I",
  Ï: "I",
  Ô: "O",
  Û: "U",
  Ù: "U",
  Œ: "OE",
  œ: "oe",
  "’": "'",
  "‘": "'",
  "“": '"',
  "”": '"',
  "«": '"',
  "»": '"',
  "–": "-",
  "—": "-",
  "…": "...",
  "\u00a0": " ",
  "\u202f": " ",
  "\u2009": " ",
  "\t": " ",
};

/**
 * `text` in the GSM-7 alphabet: known characters folded to their closest spelling, others
 * (emoji, scripts GSM-7 lacks) replaced by "?". Used only when the exact text would not fit.
 */
export function foldToGsm7(text: string): string {
  let out = "";
  for (const ch of text) {
    if (basic.has(ch) || extended.has(ch)) out += ch;
    else {
      const folded = FOLDS[ch] ?? (ch.normalize("NFD").replace(/\p{M}/gu, "") || "?");
      out += isGsm7(folded) ? folded : "?";
    }
  }
  return out;
}
