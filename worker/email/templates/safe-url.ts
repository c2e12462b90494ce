// Links in emails point where they say: only http(s) and mailto survive, anything else
// (javascript:, data:) becomes "#".

export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return ["http:", "https:", "mailto:"].includes(parsed.protocol) ? parsed.href : "#";
  } catch {
    return "#";
  }
}
