// Outgoing webhooks in the hosted admin: the org's endpoints (URL, description, events, enabled),
// adding one and rotating its secret (the secret shown once, on the page the form redirects to,
// never in a URL), editing, enabling and disabling, deleting (asked first), and per endpoint its
// delivery log with "send again" and "send test event". Every change goes through the same
// functions as /v1/webhook-endpoints (webhooks/endpoints.ts).

import type { Context } from "hono";
import { Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { noAnswerReason } from "../webhooks/decide";
import {
  createEndpoint,
  deleteEndpoint,
  type EndpointInput,
  type EndpointRow,
  endpointView,
  findEndpoint,
  isProduction,
  listDeliveries,
  listEndpoints,
  rotateSecret,
  sendAgain,
  sendTestEvent,
  updateEndpoint,
} from "../webhooks/endpoints";
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from "../webhooks/events";
import { openSecret } from "../webhooks/secrets";
import { checkEndpointUrl } from "../webhooks/url";
import type { AdminEnv } from "./context";
import { isSecureHost } from "./cookie";
import { CheckboxField, ErrorSummary, type FieldErrors, InputField } from "./fields";
import { messagePage } from "./guard";
import { formatDate } from "./i18n";
import { AdminPage, CopyButton, CsrfField, LocalTime, noticeOf, PostButton } from "./layout";
import { webhookStrings } from "./webhooks-i18n";

export const webhookPages = new Hono<AdminEnv>();

const w = (c: Context<AdminEnv>) => webhookStrings[c.var.locale];
const idOf = (c: Context<AdminEnv>, name = "id") => (c.req.param(name) ?? "").slice(0, 80);
const notFound = (c: Context<AdminEnv>) => messagePage(c, 404, "404", c.var.t.errors.notFound);

/** The confirmation named by `?done=` after a redirect, when it is one of ours. */
const doneOf = (c: Context<AdminEnv>) => noticeOf(c, w(c).notices, "done");

/** The event types by kind (the prefix of the type), in the order events.ts lists them. */
const KINDS = [...new Set(WEBHOOK_EVENT_TYPES.map((type) => type.split(".")[0]!))].map((kind) => ({
  kind,
  types: WEBHOOK_EVENT_TYPES.filter((type) => type.startsWith(`${kind}.`)),
}));

type Typed = { url: string; description: string; events: string[] };

/** What the endpoint answered; with no answer (a timeout, a network error), the reason the runtime gave, after the reader's words. */
function Answer(props: { status: number | null; excerpt: string | null; noAnswer: string }) {
  if (!props.excerpt) return <>—</>;
  const reason = props.status === null ? noAnswerReason(props.excerpt) : undefined;
  return reason === undefined ? (
    <code class="excerpt">{props.excerpt}</code>
  ) : (
    <>
      {props.noAnswer} <code class="excerpt">{reason}</code>
    </>
  );
}

/** URL, description and the event check boxes (grouped by kind, with "all events"). */
function EndpointFields(props: { c: Context<AdminEnv>; typed: Typed; errors: FieldErrors }) {
  const s = w(props.c);
  const { typed, errors } = props;
  const all = WEBHOOK_EVENT_TYPES.every((type) => typed.events.includes(type));
  return (
    <>
      <ErrorSummary t={props.c.var.t} errors={errors} labels={{ url: s.url, description: s.description, events: s.events }} />
      <InputField
        name="url"
        label={s.url}
        hint={s.urlHint}
        type="url"
        required
        errors={errors}
        value={typed.url}
        attrs={{ maxlength: 2000, autocomplete: "off", inputmode: "url" }}
      />
      <InputField name="description" label={s.description} errors={errors} value={typed.description} attrs={{ maxlength: 500 }} />
      <fieldset id="events" aria-describedby={errors.events ? "events-error" : undefined}>
        <legend>{s.events}</legend>
        {errors.events && (
          <span class="error" id="events-error">
            {errors.events}
          </span>
        )}
        <CheckboxField name="allEvents" label={s.allEvents} checked={all} />
        {KINDS.map((group) => (
          <fieldset class="choice">
            <legend>{s.kinds[group.kind] ?? group.kind}</legend>
            {group.types.map((type) => {
              const id = `event-${type.replace(".", "-")}`;
              return (
                <div class="field check">
                  <input id={id} name="events" type="checkbox" value={type} checked={typed.events.includes(type)} />
                  <label for={id}>
                    <code>{type}</code>
                  </label>
                </div>
              );
            })}
          </fieldset>
        ))}
      </fieldset>
    </>
  );
}

function statusOf(c: Context<AdminEnv>, e: EndpointRow, now: Date): string {
  const s = w(c);
  const view = endpointView(e, now);
  if (!view.enabled) return view.disabledReason === "failures" ? s.disabledFailures : s.disabled;
  return view.failingSince ? `${s.enabled} · ${s.failingSince(formatDate(view.failingSince, c.var.locale))}` : s.enabled;
}

async function listPage(c: Context<AdminEnv>, opts: { errors?: FieldErrors; typed?: Typed; status?: 200 | 422 } = {}) {
  const t = c.var.t;
  const s = w(c);
  const now = c.var.clock.now();
  const endpoints = await listEndpoints(c.env.DB, c.var.admin.orgId);
  const typed = opts.typed ?? {
    url: "",
    description: "",
    events: [...WEBHOOK_EVENT_TYPES],
  };
  return c.html(
    <AdminPage locale={c.var.locale} t={t} title={s.title} admin={c.var.admin} current="webhooks" notice={doneOf(c)}>
      <h1>{s.title}</h1>
      <p>{s.intro}</p>
      {endpoints.length ? (
        <table class="cards">
          <thead>
            <tr>
              <th scope="col">{s.url}</th>
              <th scope="col">{s.description}</th>
              <th scope="col">{s.events}</th>
              <th scope="col">{s.status}</th>
            </tr>
          </thead>
          <tbody>
            {endpoints.map((e) => (
              <tr>
                <td data-label={s.url}>
                  <a href={`/admin/webhooks/${e.id}`} aria-label={s.manageLabel(e.url)}>
                    <code>{e.url}</code>
                  </a>
                </td>
                <td data-label={s.description}>{e.description}</td>
                <td data-label={s.events}>{s.eventCount(e.events.length, WEBHOOK_EVENT_TYPES.length)}</td>
                <td data-label={s.status}>{statusOf(c, e, now)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="card">{s.none}</p>
      )}
      <h2 id="new">{s.newTitle}</h2>
      <form method="post" action="/admin/webhooks" class="card" novalidate>
        <CsrfField admin={c.var.admin} />
        <EndpointFields c={c} typed={typed} errors={opts.errors ?? {}} />
        <button type="submit">{s.create}</button>
      </form>
    </AdminPage>,
    opts.status ?? 200,
  );
}

/** The form's fields as typed, and what they ask for (or what is wrong with them). */
async function readForm(c: Context<AdminEnv>): Promise<{ typed: Typed; input: EndpointInput | null; errors: FieldErrors }> {
  const s = w(c);
  const form = (await c.req.parseBody({ all: true })) as Record<string, unknown>;
  const one = (name: string) => (typeof form[name] === "string" ? (form[name] as string).trim() : "");
  const known = new Set<string>(WEBHOOK_EVENT_TYPES);
  const picked = [form.events ?? []].flat().filter((v): v is WebhookEventType => typeof v === "string" && known.has(v));
  const events = one("allEvents") ? [...WEBHOOK_EVENT_TYPES] : [...new Set(picked)];
  const typed = { url: one("url"), description: one("description"), events };
  const errors: FieldErrors = {};
  // The endpoint rules word the URL's error beside the other fields' (the service checks it again).
  const url = typed.url && typed.url.length <= 2000 ? checkEndpointUrl(typed.url, isProduction(c.env)) : null;
  if (!url?.ok) errors.url = s.urlProblems[url?.refusal.code ?? "webhook_url_invalid"]!;
  if (typed.description.length > 500) errors.description = s.tooLong;
  if (!events.length) errors.events = s.noEvents;
  const input = Object.keys(errors).length ? null : { url: typed.url, description: typed.description, events };
  return { typed, input, errors };
}

/** A refusal of the endpoint rules (webhooks/url.ts) as the URL field's error. */
const urlError = (c: Context<AdminEnv>, code: string): FieldErrors => ({
  url: w(c).urlProblems[code] ?? w(c).urlProblems.webhook_url_invalid!,
});

/**
 * A new secret goes from the form's POST to the page that shows it through a short-lived cookie,
 * never a URL: post, redirect, get, so reloading that page shows nothing and makes nothing. Only
 * the browser that made it gets it, once, and only if it is the endpoint's secret.
 */
const HANDOVER = "rollcall_new_whsec";
/** An event type that a narrow column wraps after its dot, never inside a word ("registration.<wbr>created"). */
function EventType(props: { type: string }) {
  const [kind, ...rest] = props.type.split(".");
  return (
    <code>
      {kind}
      {rest.map((part) => (
        <>
          .<wbr />
          {part}
        </>
      ))}
    </code>
  );
}

const HANDOVER_PATH = "/admin/webhooks/secret";

function handOver(c: Context<AdminEnv>, endpointId: string, secret: string) {
  setCookie(c, HANDOVER, `${endpointId}.${secret}`, {
    maxAge: 300,
    path: HANDOVER_PATH,
    httpOnly: true,
    secure: isSecureHost(c.req.url),
    sameSite: "Strict",
  });
  return c.redirect(HANDOVER_PATH, 303);
}

webhookPages.get("/webhooks", (c) => listPage(c));

webhookPages.post("/webhooks", async (c) => {
  const { typed, input, errors } = await readForm(c);
  if (!input) return listPage(c, { errors, typed, status: 422 });
  const created = await createEndpoint(c.env, c.var.admin.orgId, input, c.var.clock.now());
  if (!created.ok)
    return listPage(c, {
      errors: urlError(c, created.error.code),
      typed,
      status: 422,
    });
  return handOver(c, created.value.endpoint.id, created.value.secret);
});

webhookPages.get("/webhooks/secret", async (c) => {
  const s = w(c);
  const handover = getCookie(c, HANDOVER);
  if (handover)
    deleteCookie(c, HANDOVER, {
      path: HANDOVER_PATH,
      httpOnly: true,
      secure: isSecureHost(c.req.url),
      sameSite: "Strict",
    });
  const dot = handover?.indexOf(".") ?? -1;
  const [id, secret] = handover && dot > 0 ? [handover.slice(0, dot), handover.slice(dot + 1)] : [];
  const found = id && secret ? await findEndpoint(c.env.DB, c.var.admin.orgId, id.slice(0, 80)) : null;
  if (!found?.ok || !secret || (await openSecret(c.env, found.value.secretSealed)) !== secret) return c.redirect("/admin/webhooks", 303);
  const view = endpointView(found.value, c.var.clock.now());
  return c.html(
    <AdminPage locale={c.var.locale} t={c.var.t} title={s.secretTitle} admin={c.var.admin} current="webhooks">
      <h1>{s.secretTitle}</h1>
      <div class="card" role="status">
        <p>
          <a class="url" href={`/admin/webhooks/${view.id}`}>
            {view.url}
          </a>
        </p>
        <p>{s.secretReveal}</p>
        {view.previousSecretExpiresAt && <p class="muted">{s.secretOverlap(formatDate(view.previousSecretExpiresAt, c.var.locale))}</p>}
        <div class="field">
          <label for="new-secret">{s.secretLabel}</label>
          <div class="copyable">
            <input id="new-secret" class="code" readonly value={secret} />
            <CopyButton target="new-secret" t={c.var.t} />
          </div>
        </div>
        <a class="button" href={`/admin/webhooks/${view.id}`}>
          {s.done}
        </a>
      </div>
    </AdminPage>,
  );
});

/** Deliveries per page of the endpoint's log. */
const LOG_PAGE = 25;

async function endpointPage(c: Context<AdminEnv>, opts: { errors?: FieldErrors; typed?: Typed; status?: 200 | 422 } = {}) {
  const t = c.var.t;
  const s = w(c);
  const orgId = c.var.admin.orgId;
  const found = await findEndpoint(c.env.DB, orgId, idOf(c));
  if (!found.ok) return notFound(c);
  const e = found.value;
  const older = c.req.query("older");
  const deliveries = await listDeliveries(c.env.DB, orgId, e.id, { limit: LOG_PAGE, cursor: older });
  const { deliveries: log, nextCursor } = deliveries.ok ? deliveries.value : { deliveries: [], nextCursor: null };
  const typed = opts.typed ?? {
    url: e.url,
    description: e.description,
    events: e.events,
  };
  const base = `/admin/webhooks/${e.id}`;
  return c.html(
    <AdminPage locale={c.var.locale} t={t} title={e.url} admin={c.var.admin} current="webhooks" notice={doneOf(c)}>
      <p>
        <a href="/admin/webhooks">{s.back}</a>
      </p>
      <h1>
        <code>{e.url}</code>
      </h1>
      {e.description && <p>{e.description}</p>}
      <p>{s.statusLine(statusOf(c, e, c.var.clock.now()))}</p>
      <div class="actions">
        <PostButton admin={c.var.admin} action={`${base}/${e.enabled ? "disable" : "enable"}`}>
          {e.enabled ? s.disable : s.enable}
        </PostButton>
        <PostButton admin={c.var.admin} action={`${base}/test`}>
          {s.sendTest}
        </PostButton>
        <a href={`${base}/rotate`}>{s.rotate}</a>
        <a href={`${base}/delete`}>{s.delete}</a>
      </div>
      <h2 id="log">{s.log}</h2>
      {log.length ? (
        <table class="cards">
          <thead>
            <tr>
              <th scope="col">{s.time}</th>
              <th scope="col">{s.eventType}</th>
              <th scope="col">{s.deliveryStatus}</th>
              <th scope="col">{s.latency}</th>
              <th scope="col">{s.response}</th>
              <th scope="col">
                <span class="visually-hidden">{s.sendAgain}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {log.map((d) => {
              const at = formatDate(d.lastAttemptAt ?? d.createdAt, c.var.locale);
              return (
                <tr>
                  <td data-label={s.time}>
                    <LocalTime instant={d.lastAttemptAt ?? d.createdAt} locale={c.var.locale} />
                  </td>
                  <td data-label={s.eventType} class="words">
                    <EventType type={d.eventType} />
                  </td>
                  <td data-label={s.deliveryStatus}>
                    {s.statuses[d.status] ?? d.status}
                    {d.responseStatus !== null && ` (HTTP ${d.responseStatus})`}
                  </td>
                  <td data-label={s.latency}>{d.latencyMs === null ? "—" : s.ms(d.latencyMs)}</td>
                  <td data-label={s.response}>
                    <Answer status={d.responseStatus} excerpt={d.responseExcerpt} noAnswer={s.noAnswer} />
                  </td>
                  <td>
                    <PostButton admin={c.var.admin} action={`${base}/deliveries/${d.id}/retry`} label={s.sendAgainLabel(d.eventType, at)}>
                      {s.sendAgain}
                    </PostButton>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : (
        <p class="card">{s.logNone}</p>
      )}
      {(older || nextCursor) && (
        <p class="actions">
          {older && <a href={`${base}#log`}>{s.logNewest}</a>}
          {nextCursor && <a href={`${base}?older=${encodeURIComponent(nextCursor)}#log`}>{s.logOlder}</a>}
        </p>
      )}
      <h2 id="edit">{s.editTitle}</h2>
      <form method="post" action={base} class="card" novalidate>
        <CsrfField admin={c.var.admin} />
        <EndpointFields c={c} typed={typed} errors={opts.errors ?? {}} />
        <button type="submit">{s.save}</button>
      </form>
    </AdminPage>,
    opts.status ?? 200,
  );
}

webhookPages.get("/webhooks/:id", (c) => endpointPage(c));

webhookPages.post("/webhooks/:id", async (c) => {
  const { typed, input, errors } = await readForm(c);
  if (!input) return endpointPage(c, { errors, typed, status: 422 });
  const changed = await updateEndpoint(c.env, c.var.admin.orgId, idOf(c), input, c.var.clock.now());
  if (!changed.ok)
    return changed.error.code === "not_found"
      ? notFound(c)
      : endpointPage(c, {
          errors: urlError(c, changed.error.code),
          typed,
          status: 422,
        });
  return c.redirect(`/admin/webhooks/${changed.value.id}?done=updated`, 303);
});

for (const [action, enabled] of [
  ["enable", true],
  ["disable", false],
] as const)
  webhookPages.post(`/webhooks/:id/${action}`, async (c) => {
    const changed = await updateEndpoint(c.env, c.var.admin.orgId, idOf(c), { enabled }, c.var.clock.now());
    if (!changed.ok) return notFound(c);
    return c.redirect(`/admin/webhooks/${changed.value.id}?done=${enabled ? "enabled" : "disabled"}`, 303);
  });

// Rotating and deleting ask first, saying what follows.
for (const action of ["rotate", "delete"] as const)
  webhookPages.get(`/webhooks/:id/${action}`, async (c) => {
    const s = w(c);
    const found = await findEndpoint(c.env.DB, c.var.admin.orgId, idOf(c));
    if (!found.ok) return notFound(c);
    const e = found.value;
    const title = action === "rotate" ? s.rotateTitle(e.url) : s.deleteTitle(e.url);
    return c.html(
      <AdminPage locale={c.var.locale} t={c.var.t} title={title} admin={c.var.admin} current="webhooks" narrow>
        <h1>{title}</h1>
        <div class="card">
          <p>{action === "rotate" ? s.rotateWarning : s.deleteWarning}</p>
          <form method="post" action={`/admin/webhooks/${e.id}/${action}`} class="actions">
            <CsrfField admin={c.var.admin} />
            <button type="submit" class={action === "delete" ? "danger" : undefined}>
              {action === "rotate" ? s.rotateConfirm : s.deleteConfirm}
            </button>
            <a href={`/admin/webhooks/${e.id}`}>{c.var.t.cancel}</a>
          </form>
        </div>
      </AdminPage>,
    );
  });

webhookPages.post("/webhooks/:id/rotate", async (c) => {
  const rotated = await rotateSecret(c.env, c.var.admin.orgId, idOf(c), c.var.clock.now());
  if (!rotated.ok) return notFound(c);
  return handOver(c, rotated.value.endpoint.id, rotated.value.secret);
});

webhookPages.post("/webhooks/:id/delete", async (c) => {
  const deleted = await deleteEndpoint(c.env.DB, c.var.admin.orgId, idOf(c));
  if (!deleted.ok) return notFound(c);
  return c.redirect("/admin/webhooks?done=deleted", 303);
});

webhookPages.post("/webhooks/:id/test", async (c) => {
  const sent = await sendTestEvent(c.env, c.var.admin.orgId, idOf(c), c.var.clock.now());
  if (!sent.ok) return notFound(c);
  return c.redirect(`/admin/webhooks/${idOf(c)}?done=test`, 303);
});

webhookPages.post("/webhooks/:id/deliveries/:deliveryId/retry", async (c) => {
  const again = await sendAgain(c.env, c.var.admin.orgId, idOf(c), idOf(c, "deliveryId"));
  if (!again.ok) return notFound(c);
  return c.redirect(`/admin/webhooks/${idOf(c)}?done=again`, 303);
});
