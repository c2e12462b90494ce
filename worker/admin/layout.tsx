// The frame of every hosted admin page: the document shell, navigation, the signed-in member and
// a sign-out button, a notice line, and the page's content in <main>.

import type { Child } from "hono/jsx";
import { Document } from "../html/document";
import type { Locale } from "../i18n/locales";
import type { Admin } from "./context";
import { hostStrings } from "./hosts-i18n";
import { formatDate, type Strings } from "./i18n";
import { ADMIN_SCRIPT_PATH } from "./script";
import { adminStyles } from "./styles";
import { webhookStrings } from "./webhooks-i18n";

export type Section =
  | "sessions"
  | "contacts"
  | "programs"
  | "keys"
  | "settings"
  | "members"
  | "privacy"
  | "discounts"
  | "webhooks"
  | "profile";

function Navigation(props: { t: Strings; locale: Locale; current: Section | undefined; host: boolean }) {
  const { t, current } = props;
  const item = (section: Section, href: string, label: string) => (
    <li>
      <a href={href} aria-current={current === section ? "page" : undefined}>
        {label}
      </a>
    </li>
  );
  return (
    <nav aria-label={t.nav.label}>
      {/* A host has their sessions only (auth/permissions.ts). */}
      {props.host ? (
        <ul>
          {item("sessions", "/admin/sessions", t.nav.sessions)}
          {item("profile", "/admin/profile", t.nav.profile)}
        </ul>
      ) : (
        <ul>
          {item("sessions", "/admin/sessions", t.nav.sessions)}
          {item("contacts", "/admin/contacts", t.nav.contacts)}
          {item("programs", "/admin/programs", t.nav.programs)}
          {item("discounts", "/admin/discounts", t.nav.discounts)}
          {item("webhooks", "/admin/webhooks", webhookStrings[props.locale].title)}
          {item("keys", "/admin/keys", t.nav.keys)}
          {item("settings", "/admin/settings", t.nav.settings)}
          {item("members", "/admin/members", t.nav.members)}
          {item("privacy", "/admin/privacy", t.nav.privacy)}
          {item("profile", "/admin/profile", t.nav.profile)}
        </ul>
      )}
    </nav>
  );
}

export type Frame = {
  locale: Locale;
  t: Strings;
  title: string;
  admin?: Admin | undefined;
  current?: Section;
  notice?: string | null;
  /** Narrow pages: sign-in and confirmations. */
  narrow?: boolean;
  /** Pages with the admin elements load the widget script. */
  widget?: boolean;
};

export function AdminPage(props: Frame & { children?: Child }) {
  const { t, admin } = props;
  return (
    <Document
      lang={props.locale}
      title={`${props.title} · ${admin ? admin.orgName : t.product}`}
      referrer="same-origin"
      widget={props.widget}
      script={ADMIN_SCRIPT_PATH}
      styles={adminStyles}
    >
      <a class="skip" href="#main">
        {t.skip}
      </a>
      <header>
        <div class="bar">
          <span class="brand">{admin ? admin.orgName : t.product}</span>
          {admin && <Navigation t={t} locale={props.locale} current={props.current} host={admin.role === "host"} />}
          {admin && (
            <div class="who">
              <span>{t.signedInAs(admin.email, admin.role)}</span>
              <form method="post" action="/admin/sign-out">
                <CsrfField admin={admin} />
                <button type="submit" class="link">
                  {t.signOut}
                </button>
              </form>
            </div>
          )}
        </div>
      </header>
      <main id="main" class={props.narrow ? "narrow" : undefined} tabindex={-1}>
        {admin?.viewer && <ViewingAsBanner admin={admin} locale={props.locale} />}
        {props.notice && (
          <p class="notice" role="status">
            {props.notice}
          </p>
        )}
        {props.children}
      </main>
    </Document>
  );
}

/** The line above every page while an owner or admin views the admin as a host, with the way back. */
function ViewingAsBanner(props: { admin: Admin; locale: Locale }) {
  const h = hostStrings[props.locale];
  return (
    <form method="post" action="/admin/view-as/end" class="notice" role="status">
      <CsrfField admin={props.admin} />
      {h.viewingAs(props.admin.email)}{" "}
      <button type="submit" class="link">
        {h.backToYourView}
      </button>
    </form>
  );
}

/**
 * A moment that belongs to no session (a key's creation, a member's arrival): written in UTC, with
 * the zone named, and written again in the browser's own zone by the admin's script.
 */
export const LocalTime = (props: { instant: string; locale: Locale }) => (
  <time datetime={props.instant} data-local>
    {formatDate(props.instant, props.locale)}
  </time>
);

export const CsrfField = (props: { admin: Admin }) => <input type="hidden" name="_csrf" value={props.admin.csrf} />;

/** One button that POSTs to `action` (with the CSRF token and any hidden `fields`), inline in a row of a table or list. */
export const PostButton = (props: {
  admin: Admin;
  action: string;
  label?: string | undefined;
  fields?: Record<string, string>;
  children: string;
}) => (
  <form method="post" action={props.action} class="inline">
    <CsrfField admin={props.admin} />
    {Object.entries(props.fields ?? {}).map(([name, value]) => (
      <input type="hidden" name={name} value={value} />
    ))}
    <button type="submit" class="secondary" aria-label={props.label}>
      {props.children}
    </button>
  </form>
);

/**
 * A page that asks before a destructive action: its title names what is at stake, `warning` says
 * what follows, the danger button does it (a POST to `action`, this page's own address when
 * none, with the CSRF token and any hidden `fields`), and `back` leads away doing nothing.
 */
export function ConfirmPage(
  props: Omit<Frame, "admin" | "narrow"> & {
    admin: Admin;
    warning: Child;
    action?: string;
    fields?: Record<string, string>;
    confirm: string;
    back: { href: string; label: string };
  },
) {
  const { warning, action, fields, confirm, back, ...frame } = props;
  return (
    <AdminPage {...frame} narrow>
      <h1>{props.title}</h1>
      <div class="card">
        <p>{warning}</p>
        <form method="post" action={action} class="actions">
          <CsrfField admin={props.admin} />
          {Object.entries(fields ?? {}).map(([name, value]) => (
            <input type="hidden" name={name} value={value} />
          ))}
          <button type="submit" class="danger">
            {confirm}
          </button>
          <a href={back.href}>{back.label}</a>
        </form>
      </div>
    </AdminPage>
  );
}

/** Copies the value of the field `target` (admin.js shows it and does it: without scripts it stays hidden). */
export const CopyButton = (props: { target: string; t: Strings }) => (
  <button type="button" class="secondary copy" data-copy={props.target} data-copied={props.t.copied} hidden>
    {props.t.copy}
  </button>
);

/**
 * A public address and the lines that embed it elsewhere, each with a Copy button: the org's
 * listing (settings), a member's public page. Field ids are `{id}-url` and `{id}-embed`.
 */
export function ShareCard(props: {
  t: Strings;
  id: string;
  url: string;
  urlLabel: string;
  urlHint?: string;
  snippet: string;
  snippetLabel: string;
  snippetHint: string;
}) {
  const { t, id } = props;
  return (
    <div class="card">
      <div class="field">
        <label for={`${id}-url`}>{props.urlLabel}</label>
        {props.urlHint && (
          <span class="hint" id={`${id}-url-hint`}>
            {props.urlHint}
          </span>
        )}
        <div class="copyable">
          <input id={`${id}-url`} class="code" readonly value={props.url} aria-describedby={props.urlHint ? `${id}-url-hint` : undefined} />
          <CopyButton target={`${id}-url`} t={t} />
        </div>
        <a class="url" href={props.url}>
          {props.url}
        </a>
      </div>
      <div class="field">
        <label for={`${id}-embed`}>{props.snippetLabel}</label>
        <span class="hint" id={`${id}-embed-hint`}>
          {props.snippetHint}
        </span>
        <textarea id={`${id}-embed`} class="code" readonly rows={3} aria-describedby={`${id}-embed-hint`}>
          {props.snippet}
        </textarea>
        <CopyButton target={`${id}-embed`} t={t} />
      </div>
    </div>
  );
}

/** The confirmation named by `?notice=` (or `param`) after a redirect, when it is one of ours (`notices`: the page's own, else the admin's). */
export function noticeOf(
  c: { req: { query(name: string): string | undefined }; var: { t: Strings } },
  notices: Record<string, string> = c.var.t.notices,
  param = "notice",
): string | null {
  const key = c.req.query(param);
  return key && Object.hasOwn(notices, key) ? (notices[key] ?? null) : null;
}
