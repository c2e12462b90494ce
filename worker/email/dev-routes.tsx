// The local outbox, for people (/dev/mail: a list, each message rendered in a sandboxed frame)
// and for tests (/dev/mail.json: newest first, with the links found in each message).
// Development only: app.ts leaves these routes out of deployed builds (ROLLCALL_DEV_ROUTES), and
// where they are built in they answer 404 unless ROLLCALL_ENV=development and the request is
// addressed to this machine (config/dev-mode.ts).

import { Hono } from "hono";
import type { Child } from "hono/jsx";
import { devRoutesOpen } from "../config/dev-mode";
import { problemResponse } from "../errors/problem";
import { Document } from "../html/document";
import type { AppEnv } from "../http/context";
import { fromBase64 } from "../ids/ids";
import { type DevMailRow, forgetKeptMail, keptMail, keptMailHeaders, keptMessage, recipientAsked } from "./dev-outbox";

declare global {
  /**
   * Set to false by `define` in wrangler.toml (top level and production): what `wrangler deploy`
   * builds leaves the dev routes out. scripts/dev-server.mjs builds with true; undefined in tests.
   */
  const ROLLCALL_DEV_ROUTES: boolean | undefined;
}

const PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; frame-src 'self'; base-uri 'none'; form-action 'self'";

/** Every http(s) link in a message, from its hrefs and its text, in order of appearance. */
export function linksOf(row: Pick<DevMailRow, "html" | "text">): string[] {
  const found = [
    ...[...row.html.matchAll(/href="([^"]+)"/g)].map((m) => decodeEntities(m[1] ?? "")),
    ...[...row.text.matchAll(/https?:\/\/[^\s<>"')]+/g)].map((m) => m[0]),
  ];
  return [...new Set(found.filter((l) => /^https?:\/\//.test(l)))];
}

function decodeEntities(s: string): string {
  return s.replace(
    /&(amp|lt|gt|quot|#39|#96);/g,
    (_, e: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", "#96": "`" })[e] ?? e,
  );
}

const styles =
  "body{font:15px/1.5 system-ui,sans-serif;margin:0;padding:24px;color:#1f2328;background:#f6f8fa}main{max-width:960px;margin:auto}table{border-collapse:collapse;width:100%;background:#fff}td,th{text-align:left;padding:8px;border-bottom:1px solid #d0d7de;vertical-align:top}a{color:#0969da}iframe{width:100%;height:70vh;border:1px solid #d0d7de;background:#fff}pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#fff;padding:16px;border:1px solid #d0d7de}dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px}form{margin:0 0 16px}input,button{font:inherit;padding:4px 8px;max-width:100%}dt{font-weight:600}h1,ul,td,dd{overflow-wrap:anywhere}" +
  // A phone-sized window gets one card per message, each value named by its column.
  '@media (max-width:640px){body{padding:12px}table,tbody,tr,td{display:block}thead{position:absolute;left:-10000px}tr{border-bottom:1px solid #d0d7de;padding:8px 0}td{border:0;padding:2px 8px}td::before{content:attr(data-label) ": ";font-weight:600}dl{grid-template-columns:1fr}dd{margin:0 0 8px}}';

function page(title: string, body: Child): Response {
  const doc = (
    <Document lang="en" title={title} referrer="no-referrer" styles={styles}>
      <main>{body}</main>
    </Document>
  );
  return new Response(doc.toString(), {
    headers: { "content-type": "text/html; charset=utf-8", "content-security-policy": PAGE_CSP, "cache-control": "no-store" },
  });
}

/** "Email", or "SMS · 2 segments" for a text (the SMS dev outbox keeps texts here too). */
export function channelLabel(row: Pick<DevMailRow, "channel" | "segments">): string {
  if (row.channel !== "sms") return "Email";
  const n = row.segments ?? 1;
  return `SMS · ${n} ${n === 1 ? "segment" : "segments"}`;
}

function MailList({
  rows,
  to,
}: {
  rows: Pick<DevMailRow, "id" | "from" | "to" | "subject" | "template" | "createdAt" | "channel" | "segments">[];
  /** The recipient (an address or a number) the list is narrowed to, if any. */
  to: string | undefined;
}) {
  const json = to ? `/dev/mail.json?to=${encodeURIComponent(to)}` : "/dev/mail.json";
  return (
    <>
      <h1>{to ? `Dev mail to ${to}` : "Dev mail"}</h1>
      <p>
        Mail the worker sent while no RESEND_API_KEY is set, and texts while no Twilio settings are, newest first (at most 200). As JSON:{" "}
        <a href={json}>{json}</a>.
      </p>
      <form method="get" action="/dev/mail">
        <label for="to">Only mail to (an address or a phone number)</label>{" "}
        <input id="to" name="to" type="text" value={to ?? ""} autocomplete="off" /> <button type="submit">Show</button>
        {to && (
          <>
            {" "}
            <a href="/dev/mail">Show all mail</a>
          </>
        )}
      </form>
      {rows.length === 0 ? (
        <p>{to ? `No mail to ${to} yet.` : "No mail yet."}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">When (UTC)</th>
              <th scope="col">Channel</th>
              <th scope="col">From</th>
              <th scope="col">To</th>
              <th scope="col">Subject</th>
              <th scope="col">Template</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                <td data-label="When (UTC)">{r.createdAt.replace("T", " ").slice(0, 19)}</td>
                <td data-label="Channel">{channelLabel(r)}</td>
                <td data-label="From">{r.from}</td>
                <td data-label="To">{r.to}</td>
                <td data-label="Subject">
                  <a href={`/dev/mail/${encodeURIComponent(r.id)}`}>{r.subject}</a>
                </td>
                <td data-label="Template">{r.template}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/** What a reply from a text's number did (the outbox's reply form, sms/dev-routes.ts). */
const REPLIES: Record<string, (to: string) => string> = {
  opted_out: (to) => `Replied from ${to}: a stop. Its contacts are back on email, and no text goes to the number until it sends START.`,
  opted_in: (to) => `Replied from ${to}: a start. Texts go to the number again, to contacts who choose SMS.`,
  ignored: (to) => `Replied from ${to}: not a word that changes anything (STOP, START…).`,
};

function MailView({ row, replied }: { row: DevMailRow; replied?: string | undefined }) {
  // The email's own HTML goes in a sandboxed frame (no scripts, no same origin) through an
  // escaped srcdoc; its links open in a new tab.
  const framed = row.html.replace(/<head>/i, '<head><base target="_blank">');
  const attachments = row.attachments ?? [];
  return (
    <>
      <p>
        <a href="/dev/mail">← All mail</a>
      </p>
      <h1>{row.subject}</h1>
      {replied && REPLIES[replied] && <p role="status">{REPLIES[replied](row.to)}</p>}
      <dl>
        <dt>From</dt>
        <dd>{row.from}</dd>
        {row.replyTo && (
          <>
            <dt>Reply-To</dt>
            <dd>{row.replyTo}</dd>
          </>
        )}
        <dt>Channel</dt>
        <dd>{channelLabel(row)}</dd>
        <dt>To</dt>
        <dd>{row.to}</dd>
        <dt>Sent</dt>
        <dd>{row.createdAt}</dd>
        <dt>Template</dt>
        <dd>{row.template}</dd>
        {attachments.length > 0 && (
          <>
            <dt>Attachments</dt>
            <dd>
              {attachments.map((a, i) => (
                <>
                  <a href={`/dev/mail/${encodeURIComponent(row.id)}/attachments/${i}`}>{a.filename}</a>{" "}
                </>
              ))}
            </dd>
          </>
        )}
      </dl>
      {row.channel !== "sms" && (
        <>
          <h2>HTML</h2>
          <iframe title="The email as HTML" sandbox="allow-popups allow-popups-to-escape-sandbox" srcdoc={framed} />
        </>
      )}
      <h2>Text</h2>
      <pre>{row.text}</pre>
      <h2>Links</h2>
      <ul>
        {linksOf(row).map((l) => (
          <li>
            <a href={l} target="_blank" rel="noopener">
              {l}
            </a>
          </li>
        ))}
      </ul>
      {row.channel === "sms" && (
        <>
          <h2>Reply</h2>
          <p>As if {row.to} texted the organisation's number: STOP sets its contacts back to email, START lets texts go to it again.</p>
          <form method="post" action={`/dev/mail/${encodeURIComponent(row.id)}/reply`}>
            <label for="reply">Reply from {row.to}</label> <input id="reply" name="body" value="STOP" required maxlength={160} />{" "}
            <button type="submit">Send as this phone</button>
          </form>
        </>
      )}
    </>
  );
}

export function devMailRoutes() {
  return new Hono<AppEnv>()
    .use("/dev/*", async (c, next) => {
      if (!devRoutesOpen(c.env, c.req.url)) return problemResponse({ code: "not_found", detail: "No such route." });
      await next();
    })
    .get("/dev/mail.json", async (c) => {
      const limit = Math.min(500, Math.max(1, Number(c.req.query("limit") ?? 100) || 100));
      const rows = await keptMail(c.env.DB, { to: recipientAsked(c.req.query("to")), template: c.req.query("template"), limit });
      // ?bodies=none: the list alone, for a script that only counts.
      if (c.req.query("bodies") === "none")
        return c.json({
          messages: rows.map(({ id, messageId, channel, template, to, subject, createdAt }) => ({
            id,
            messageId,
            channel,
            template,
            to,
            subject,
            createdAt,
          })),
        });
      const origin = new URL(c.req.url).origin;
      return c.json({
        messages: rows.map((r) => ({
          id: r.id,
          messageId: r.messageId,
          channel: r.channel,
          segments: r.segments,
          template: r.template,
          from: r.from,
          replyTo: r.replyTo,
          to: r.to,
          subject: r.subject,
          createdAt: r.createdAt,
          links: linksOf(r),
          text: r.text,
          html: r.html,
          attachments: (r.attachments ?? []).map((a, i) => ({
            filename: a.filename,
            contentType: a.contentType,
            url: `${origin}/dev/mail/${r.id}/attachments/${i}`,
          })),
          url: `${origin}/dev/mail/${r.id}`,
        })),
      });
    })
    .delete("/dev/mail", async (c) => {
      await forgetKeptMail(c.env.DB);
      return c.body(null, 204);
    })
    .get("/dev/mail", async (c) => {
      const to = recipientAsked(c.req.query("to"));
      const rows = await keptMailHeaders(c.env.DB, { to, limit: 200 });
      return page(to ? `Dev mail to ${to}` : "Dev mail", <MailList rows={rows} to={to} />);
    })
    .get("/dev/mail/:id/attachments/:index", async (c) => {
      const row = await keptMessage(c.env.DB, c.req.param("id"));
      const attachment = row?.attachments?.[Number(c.req.param("index"))];
      if (!attachment) return problemResponse({ code: "not_found", detail: "No such attachment." });
      const bytes = fromBase64(attachment.content);
      return new Response(bytes, {
        headers: {
          "content-type": attachment.contentType,
          "content-disposition": `attachment; filename="${attachment.filename.replace(/[^\w.-]/g, "_")}"`,
        },
      });
    })
    .get("/dev/mail/:id", async (c) => {
      const row = await keptMessage(c.env.DB, c.req.param("id"));
      if (!row) return problemResponse({ code: "not_found", detail: "No such message." });
      return page(row.subject, <MailView row={row} replied={c.req.query("replied")} />);
    });
}
