// One layout for every email: the content is described as blocks, and this file turns them into
// the HTML part (email-safe: tables and inline styles, rendered by hono/jsx, which escapes every
// value) and the plain-text part, so both always say the same thing.

import type { Child } from "hono/jsx";
import { DOCTYPE } from "../../html/document";
import { labelled } from "../../i18n/grammar";
import { safeUrl } from "./safe-url";
import { common, type Locale } from "./strings";

export type Block =
  | { kind: "paragraph"; text: string }
  /** Words written by the organiser, shown as a quotation with their line breaks. */
  | { kind: "quote"; text: string }
  | { kind: "details"; rows: [label: string, value: string][] }
  /** A button, and below it its URL written out, for clients that do not show buttons. */
  | { kind: "button"; label: string; url: string }
  | { kind: "code"; code: string }
  | { kind: "note"; text: string }
  /** A small line with a link written out after it (the participant's page, under every participant email). */
  | { kind: "link"; text: string; url: string };

export type MailContent = {
  subject: string;
  /** Who the message is from, shown above the greeting (the org's name); none for Rollcall's own mail. */
  heading?: string | null;
  /** The line mail clients show after the subject in a list. */
  preheader: string;
  greeting: string;
  blocks: Block[];
  footer: string;
  lang: Locale;
};

const font = "font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";
const note = "margin:0 0 16px;font-size:13px;color:#555;line-height:1.5";

/** Plain text with its line breaks kept: each line escaped, joined with <br>. */
function Lines(props: { text: string }) {
  return (
    <>
      {props.text.split(/\r\n|\r|\n/).map((line, i) => (
        <>
          {i > 0 && <br />}
          {line}
        </>
      ))}
    </>
  );
}

function BlockHtml({ block, lang }: { block: Block; lang: Locale }): Child {
  switch (block.kind) {
    case "paragraph":
      return (
        <p style="margin:0 0 16px;line-height:1.5">
          <Lines text={block.text} />
        </p>
      );
    case "quote":
      return (
        <blockquote style="margin:0 0 16px;padding:8px 16px;border-left:4px solid #d0d7de;color:#333;line-height:1.5">
          <Lines text={block.text} />
        </blockquote>
      );
    case "details":
      return (
        <table role="presentation" style="margin:0 0 16px;border-collapse:collapse">
          {block.rows.map(([label, value]) => (
            <tr>
              <th scope="row" style="text-align:left;vertical-align:top;padding:4px 16px 4px 0;font-weight:600">
                {label}
              </th>
              <td style="padding:4px 0">{value}</td>
            </tr>
          ))}
        </table>
      );
    case "button":
      return (
        <>
          <p style="margin:24px 0">
            <a
              href={safeUrl(block.url)}
              style="display:inline-block;padding:12px 24px;background:#1f6feb;color:#ffffff;text-decoration:none;border-radius:6px;font-weight:600"
            >
              {block.label}
            </a>
          </p>
          <p style={note}>
            {common[lang].orOpen}
            <br />
            <a href={safeUrl(block.url)} style="color:#1f6feb;word-break:break-all">
              {block.url}
            </a>
          </p>
        </>
      );
    case "code":
      return <p style="margin:0 0 16px;font-size:28px;letter-spacing:6px;font-weight:700;font-family:monospace">{block.code}</p>;
    case "note":
      return (
        <p style={note}>
          <Lines text={block.text} />
        </p>
      );
    case "link":
      return (
        <p style={note}>
          {block.text}{" "}
          <a href={safeUrl(block.url)} style="color:#1f6feb;word-break:break-all">
            {block.url}
          </a>
        </p>
      );
  }
}

/** The HTML part: a single centred column, styled inline because mail clients drop <style>. */
export function MailLayout({ content }: { content: MailContent }) {
  return (
    <>
      {DOCTYPE}
      <html lang={content.lang}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width,initial-scale=1" />
          <title>{content.subject}</title>
        </head>
        <body style="margin:0;padding:0;background:#f6f8fa">
          <div style="display:none;max-height:0;overflow:hidden">{content.preheader}</div>
          <div style={`max-width:560px;margin:0 auto;padding:32px 24px;background:#ffffff;color:#1f2328;${font};font-size:15px`}>
            {content.heading && <p style="margin:0 0 24px;font-size:17px;font-weight:700;color:#1f2328">{content.heading}</p>}
            <p style="margin:0 0 16px">{content.greeting}</p>
            {content.blocks.map((block) => (
              <BlockHtml block={block} lang={content.lang} />
            ))}
            <hr style="border:none;border-top:1px solid #d0d7de;margin:32px 0 16px" />
            <p style="margin:0;font-size:12px;color:#57606a">{content.footer}</p>
          </div>
        </body>
      </html>
    </>
  );
}

function blockText(block: Block, lang: Locale): string {
  switch (block.kind) {
    case "paragraph":
    case "note":
      return block.text;
    case "quote":
      return block.text
        .split(/\r\n|\r|\n/)
        .map((line) => `> ${line}`)
        .join("\n");
    case "details":
      return block.rows.map(([label, value]) => labelled(label, value, lang)).join("\n");
    case "button":
      return labelled(block.label, block.url, lang); // the URL written out is all the text part needs
    case "code":
      return block.code;
    case "link":
      return `${block.text} ${block.url}`;
  }
}

export function layoutHtml(content: MailContent): string {
  return `${(<MailLayout content={content} />).toString()}\n`;
}

export function layoutText(content: MailContent): string {
  const parts = [
    ...(content.heading ? [content.heading] : []),
    content.greeting,
    ...content.blocks.map((b) => blockText(b, content.lang)).filter((t) => t !== ""),
    "--",
    content.footer,
  ];
  return `${parts.join("\n\n")}\n`;
}
