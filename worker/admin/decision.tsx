// The minimum's question, answered from an emailed link (/admin/decide/{token}, sessions/
// decision-links.ts): the link opens a page naming the session and the answer, with a button; only
// the POST behind the button answers, so a mail scanner that fetches every link decides nothing.
// The link is the member's authority (no sign-in): it is signed for this session, this member and
// this answer, and the member must still belong to the session's org. The first answer wins.

import type { Context } from "hono";
import { Hono } from "hono";
import type { Outcome } from "../errors/problem";
import { signingKeys } from "../ids/signing-keys";
import { memberById } from "../orgs/orgs";
import { type DecisionLink, readDecisionToken } from "../sessions/decision-links";
import { sessionLedger } from "../sessions/ledger-client";
import { countedParticipants } from "../sessions/minimum";
import type { SessionView } from "../sessions/schemas";
import type { AdminEnv } from "./context";
import { messagePage } from "./guard";
import { AdminPage } from "./layout";

export const decisionPages = new Hono<AdminEnv>();

const outcome = <T,>(answer: unknown) => answer as Outcome<T>;

/** The link's member and session, or null for a forged link, a former member, or another org's session. */
async function resolve(c: Context<AdminEnv>): Promise<{ link: DecisionLink; email: string; orgId: string; session: SessionView } | null> {
  const link = await readDecisionToken(await signingKeys(c.env), c.req.param("token") ?? "");
  if (!link) return null;
  const member = await memberById(c.env.DB, link.memberId);
  if (!member) return null;
  const read = outcome<SessionView>(await sessionLedger(c.env, link.sessionId).read(member.orgId));
  return read.ok ? { link, email: member.email, orgId: member.orgId, session: read.value } : null;
}

function decidedPage(c: Context<AdminEnv>, s: SessionView, status: 200 | 409 = 200) {
  const t = c.var.t.minimum;
  const what = s.minimum.decision === "run" ? "run" : "cancelled";
  const by = !s.minimum.decidedBy || s.minimum.decidedBy === "system" ? t.system : s.minimum.decidedBy;
  return c.html(
    <AdminPage locale={c.var.locale} t={c.var.t} title={t.decidedTitle} narrow>
      <h1>{t.decidedTitle}</h1>
      <div class="card">
        <p>{s.title}</p>
        <p role="status">{t.decided(what, by)}</p>
      </div>
    </AdminPage>,
    status,
  );
}

decisionPages.get("/decide/:token", async (c) => {
  const t = c.var.t.minimum;
  const found = await resolve(c);
  if (!found) return messagePage(c, 404, t.title, t.invalid);
  const s = found.session;
  if (s.minimum.decision === "run" || s.minimum.decision === "cancelled" || s.status === "cancelled") return decidedPage(c, s);
  if (Date.parse(s.startsAt) <= c.var.clock.now().getTime()) return messagePage(c, 410, t.startedTitle, t.started);
  const cancel = found.link.answer === "cancel";
  return c.html(
    <AdminPage locale={c.var.locale} t={c.var.t} title={t.title} narrow>
      <h1>{t.title}</h1>
      <div class="card">
        <p>{t.question(s.title, countedParticipants(s, s.seats.confirmed), s.minParticipants)}</p>
        <p>{t.as(found.email)}</p>
        <form method="post">
          <button type="submit" class={cancel ? "danger" : undefined}>
            {cancel ? t.cancel : t.run}
          </button>
        </form>
      </div>
    </AdminPage>,
  );
});

decisionPages.post("/decide/:token", async (c) => {
  const t = c.var.t.minimum;
  const found = await resolve(c);
  if (!found) return messagePage(c, 404, t.title, t.invalid);
  const answered = outcome<SessionView>(
    await sessionLedger(c.env, found.link.sessionId).answerMinimum(found.orgId, found.link.answer, found.email),
  );
  if (!answered.ok) {
    if (answered.error.code === "minimum_decided") {
      const again = await resolve(c);
      return again ? decidedPage(c, again.session, 409) : messagePage(c, 404, t.title, t.invalid);
    }
    return messagePage(c, 410, t.startedTitle, t.started);
  }
  return c.html(
    <AdminPage locale={c.var.locale} t={c.var.t} title={t.title} narrow>
      <h1>{t.title}</h1>
      <div class="card">
        <p>{answered.value.title}</p>
        <p role="status">{found.link.answer === "run" ? t.ran : t.cancelled}</p>
      </div>
    </AdminPage>,
  );
});
