// The organisation's settings in the hosted admin: name, sender name, reply-to, allowed embed
// origins, invitation link template, default language and how long personal data is kept. Validated by the same schema as
// PATCH /v1/org; an emptied field clears its setting, a field the form does not send stays. The
// reply-to, the embed origins and the link template are an owner's (orgs/settings.ts): an admin
// sees them disabled. Owners also read every change made, by whom and when.

import type { Context } from "hono";
import { Hono } from "hono";
import { forgetOrgOrigins } from "../auth/origins";
import { labelled } from "../i18n/grammar";
import { isLocale, LOCALE_NAMES, type Locale } from "../i18n/locales";
import { readOrg, type SettingsChangeView, settingsChangesOf, updateOrg } from "../orgs/orgs";
import { DEFAULT_RETENTION_MONTHS, MAX_RETENTION_MONTHS, MIN_RETENTION_MONTHS } from "../orgs/retention";
import { OrgPatchBody } from "../orgs/schemas";
import { senderNameHasAddress } from "../orgs/sender-name";
import { OWNER_ONLY_SETTINGS, SETTINGS_FIELDS } from "../orgs/settings";
import { isReservedSlug } from "../orgs/slug";
import type { AdminEnv } from "./context";
import { CheckboxField, ErrorSummary, type FieldErrors, InputField, localeOptions, SelectField, TextareaField } from "./fields";
import { messagePage } from "./guard";
import { hostStrings } from "./hosts-i18n";
import type { Strings } from "./i18n";
import { AdminPage, CsrfField, LocalTime, noticeOf, ShareCard } from "./layout";

export const settingsPages = new Hono<AdminEnv>();

type SettingsValues = {
  name: string;
  slug: string;
  senderName: string;
  replyTo: string;
  embedOrigins: string;
  invitationLinkTemplate: string;
  defaultLocale: string;
  retentionMonths: string;
  /** "on" or "": the settings for hosts, in a form of their own. */
  hostsCanCreateSessions: string;
  hostsCanInvite: string;
  hostLabel: string;
};

const FIELDS = SETTINGS_FIELDS;

/** Each field's label, for the error summary and the record of changes. */
const labelsOf = (s: Strings["settings"], h: (typeof hostStrings)[Locale]): Record<(typeof FIELDS)[number], string> => ({
  hostsCanCreateSessions: h.canCreate(h.defaultLabel),
  hostsCanInvite: h.canInvite(h.defaultLabel),
  hostLabel: h.hostLabel,
  name: s.name,
  slug: s.slug,
  senderName: s.senderName,
  replyTo: s.replyTo,
  embedOrigins: s.embedOrigins,
  invitationLinkTemplate: s.invitationLinkTemplate,
  defaultLocale: s.defaultLocale,
  retentionMonths: s.retentionMonths,
});

function ChangeList(props: { c: Context<AdminEnv>; history: SettingsChangeView[] }) {
  const { c, history } = props;
  const s = c.var.t.settings;
  const labels: Record<string, string> = labelsOf(s, hostStrings[c.var.locale]);
  const shown = (field: string, value: unknown) =>
    value === null
      ? s.none
      : typeof value === "boolean"
        ? value
          ? s.yes
          : s.no
        : field === "defaultLocale" && typeof value === "string" && isLocale(value)
          ? LOCALE_NAMES[value]
          : Array.isArray(value)
            ? value.join(", ")
            : String(value);
  return (
    <>
      <h2>{s.history}</h2>
      <p class="muted">{s.historyHint}</p>
      <table class="cards">
        <thead>
          <tr>
            <th scope="col">{s.when}</th>
            <th scope="col">{s.who}</th>
            <th scope="col">{s.what}</th>
          </tr>
        </thead>
        <tbody>
          {history.map((entry) => (
            <tr>
              <td data-label={s.when}>
                <LocalTime instant={entry.at} locale={c.var.locale} />
              </td>
              <td data-label={s.who}>{entry.actorName}</td>
              <td data-label={s.what}>
                <ul>
                  {entry.changes.map((change) => (
                    <li>
                      {labelled(
                        labels[change.field] ?? change.field,
                        `${shown(change.field, change.from)} → ${shown(change.field, change.to)}`,
                        c.var.locale,
                      )}
                    </li>
                  ))}
                </ul>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** The public listing's page and the element's snippet, each with a copy button. */
function ListingShare(props: { c: Context<AdminEnv>; slug: string }) {
  const { c, slug } = props;
  const t = c.var.t;
  const s = t.settings;
  const origin = new URL(c.req.url).origin;
  const url = `${origin}/o/${slug}`;
  const snippet = `<script type="module" src="${origin}/widget/rollcall.js"></script>\n<rollcall-sessions org="${slug}"></rollcall-sessions>`;
  return (
    <>
      <h2>{s.listing}</h2>
      <ShareCard
        t={t}
        id="listing"
        url={url}
        urlLabel={s.listingUrl}
        snippet={snippet}
        snippetLabel={s.listingEmbed}
        snippetHint={s.listingEmbedHint}
      />
    </>
  );
}

async function settingsPage(
  c: Context<AdminEnv>,
  v: SettingsValues,
  opts: { errors?: FieldErrors; alert?: string; status?: 200 | 403 | 409 | 422 } = {},
) {
  const t = c.var.t;
  const s = t.settings;
  const errors = opts.errors ?? {};
  const owner = c.var.admin.role === "owner";
  const history = owner ? await settingsChangesOf(c.env.DB, c.var.admin.orgId) : [];
  // The listing is shared under the slug saved, not one typed and refused.
  const saved = await readOrg(c.env.DB, c.var.admin.orgId);
  const labels = labelsOf(s, hostStrings[c.var.locale]);
  // An admin sees the owner's settings, disabled (a disabled field is not sent with the form).
  const ownerOnly = (hint: string) => (owner ? hint : `${s.ownerOnly} ${hint}`);
  const locked = owner ? {} : { disabled: true };
  return c.html(
    <AdminPage locale={c.var.locale} t={t} title={s.title} admin={c.var.admin} current="settings" notice={noticeOf(c)}>
      <h1>{s.title}</h1>
      {opts.alert && (
        <p class="alert" role="alert">
          {opts.alert}
        </p>
      )}
      <ErrorSummary t={t} errors={errors} labels={labels} />
      <form method="post" action="/admin/settings" class="card" novalidate>
        <CsrfField admin={c.var.admin} />
        <InputField name="name" label={s.name} value={v.name} required errors={errors} attrs={{ maxlength: 200 }} />
        <InputField
          name="slug"
          label={s.slug}
          hint={s.slugHint}
          value={v.slug}
          errors={errors}
          inputClass="code"
          attrs={{ maxlength: 48, autocapitalize: "none", spellcheck: false }}
        />
        <InputField
          name="senderName"
          label={s.senderName}
          hint={s.senderNameHint}
          value={v.senderName}
          errors={errors}
          attrs={{ maxlength: 100 }}
        />
        <InputField
          name="replyTo"
          label={s.replyTo}
          hint={ownerOnly(s.replyToHint)}
          type="email"
          value={v.replyTo}
          errors={errors}
          attrs={locked}
        />
        <TextareaField
          name="embedOrigins"
          label={s.embedOrigins}
          hint={ownerOnly(s.embedOriginsHint)}
          value={v.embedOrigins}
          errors={errors}
          inputClass="code"
          attrs={locked}
        />
        <InputField
          name="invitationLinkTemplate"
          label={s.invitationLinkTemplate}
          hint={ownerOnly(s.invitationLinkTemplateHint)}
          type="url"
          value={v.invitationLinkTemplate}
          errors={errors}
          inputClass="code"
          attrs={locked}
        />
        <SelectField
          name="defaultLocale"
          label={s.defaultLocale}
          hint={s.defaultLocaleHint}
          value={v.defaultLocale}
          errors={errors}
          options={[{ value: "", label: s.noLocale }, ...localeOptions]}
        />
        <InputField
          name="retentionMonths"
          label={s.retentionMonths}
          hint={ownerOnly(s.retentionMonthsHint(DEFAULT_RETENTION_MONTHS, MIN_RETENTION_MONTHS, MAX_RETENTION_MONTHS))}
          type="number"
          value={v.retentionMonths}
          errors={errors}
          attrs={{ min: MIN_RETENTION_MONTHS, max: MAX_RETENTION_MONTHS, step: 1, inputmode: "numeric", ...locked }}
        />
        <button type="submit">{t.save}</button>
      </form>
      <HostSettings c={c} v={v} owner={owner} errors={errors} />
      {saved?.slug && <ListingShare c={c} slug={saved.slug} />}
      {owner && history.length > 0 && <ChangeList c={c} history={history} />}
    </AdminPage>,
    opts.status ?? 200,
  );
}

/** The form's values for the org as it is. */
async function currentValues(c: Context<AdminEnv>): Promise<SettingsValues | null> {
  const org = await readOrg(c.env.DB, c.var.admin.orgId);
  if (!org) return null;
  const s = org.settings;
  return {
    name: org.name,
    slug: org.slug ?? "",
    senderName: s.senderName ?? "",
    replyTo: s.replyTo ?? "",
    embedOrigins: (s.embedOrigins ?? []).join("\n"),
    invitationLinkTemplate: s.invitationLinkTemplate ?? "",
    defaultLocale: s.defaultLocale ?? "",
    retentionMonths: s.retentionMonths === undefined ? "" : String(s.retentionMonths),
    hostsCanCreateSessions: s.hostsCanCreateSessions ? "on" : "",
    hostsCanInvite: s.hostsCanInvite ? "on" : "",
    hostLabel: s.hostLabel ?? "",
  };
}

/** What members with the host role may do, and what the org calls them: an owner's (orgs/settings.ts). */
function HostSettings(props: { c: Context<AdminEnv>; v: SettingsValues; owner: boolean; errors: FieldErrors }) {
  const { c, v, owner, errors } = props;
  const h = hostStrings[c.var.locale];
  const label = v.hostLabel || h.defaultLabel;
  const s = c.var.t.settings;
  return (
    <>
      <h2 id="hosts">{h.settingsTitle(label)}</h2>
      <form method="post" action="/admin/settings/hosts" class="card" novalidate>
        <CsrfField admin={c.var.admin} />
        <p class="muted">{owner ? h.settingsHint : `${s.ownerOnly} ${h.settingsHint}`}</p>
        <fieldset disabled={!owner}>
          <InputField
            name="hostLabel"
            label={h.hostLabel}
            hint={h.hostLabelHint}
            value={v.hostLabel}
            errors={errors}
            attrs={{ maxlength: 40 }}
          />
          <CheckboxField
            name="hostsCanCreateSessions"
            label={h.canCreate(label)}
            checked={v.hostsCanCreateSessions === "on"}
            errors={errors}
          />
          <CheckboxField name="hostsCanInvite" label={h.canInvite(label)} checked={v.hostsCanInvite === "on"} errors={errors} />
          <button type="submit">{c.var.t.save}</button>
        </fieldset>
      </form>
    </>
  );
}

settingsPages.post("/settings/hosts", async (c) => {
  const form = await c.req.parseBody();
  const current = await currentValues(c);
  if (!current) return messagePage(c, 404, "404", c.var.t.errors.notFound);
  const hostLabel = typeof form.hostLabel === "string" ? form.hostLabel.trim() : "";
  const v: SettingsValues = {
    ...current,
    hostLabel,
    hostsCanCreateSessions: form.hostsCanCreateSessions === "on" ? "on" : "",
    hostsCanInvite: form.hostsCanInvite === "on" ? "on" : "",
  };
  const parsed = OrgPatchBody.safeParse({
    settings: {
      hostLabel: hostLabel || null,
      // Unchecked is unset: hosts may not (the default).
      hostsCanCreateSessions: v.hostsCanCreateSessions === "on" ? true : null,
      hostsCanInvite: v.hostsCanInvite === "on" ? true : null,
    },
  });
  if (!parsed.success) return settingsPage(c, v, { errors: { hostLabel: c.var.t.settings.invalid.hostLabel! }, status: 422 });
  const admin = c.var.admin;
  const by = { role: admin.role, actor: `member:${admin.memberId}`, name: admin.email };
  const updated = await updateOrg(c.env.DB, admin.orgId, parsed.data, by, c.var.clock.now());
  if (!updated.ok) {
    if (updated.error.code !== "forbidden") return messagePage(c, 404, "404", c.var.t.errors.notFound);
    return settingsPage(c, current, { alert: c.var.t.settings.ownerOnlyRefused, status: 403 });
  }
  return c.redirect("/admin/settings?notice=saved#hosts", 303);
});

settingsPages.get("/settings", async (c) => {
  const values = await currentValues(c);
  if (!values) return messagePage(c, 404, "404", c.var.t.errors.notFound);
  return settingsPage(c, values);
});

settingsPages.post("/settings", async (c) => {
  const form = await c.req.parseBody();
  const current = await currentValues(c);
  if (!current) return messagePage(c, 404, "404", c.var.t.errors.notFound);
  // Only the fields the form sent are changed (an admin's form does not send the owner's ones).
  const sent = FIELDS.filter((name) => typeof form[name] === "string");
  const v: SettingsValues = { ...current };
  for (const name of sent) v[name] = (form[name] as string).trim();
  const origins = v.embedOrigins.split(/[\s,]+/).filter(Boolean);
  const proposed = {
    senderName: v.senderName || null,
    replyTo: v.replyTo || null,
    embedOrigins: origins.length ? origins : null,
    invitationLinkTemplate: v.invitationLinkTemplate || null,
    defaultLocale: v.defaultLocale || null,
    // Not a number ("abc", "6.5") stays one, and the schema says what is wrong with it.
    retentionMonths: v.retentionMonths ? Number(v.retentionMonths) : null,
  };
  const parsed = OrgPatchBody.safeParse({
    ...(sent.includes("name") ? { name: v.name } : {}),
    ...(sent.includes("slug") ? { slug: v.slug || null } : {}),
    settings: Object.fromEntries(Object.entries(proposed).filter(([k]) => sent.includes(k as keyof SettingsValues))),
  });
  if (!parsed.success) {
    // Each field's sentence in the member's language: what it takes, naming the entry at fault.
    const s = c.var.t.settings;
    const errors: FieldErrors = {};
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] === "settings" ? issue.path[1] : issue.path[0]);
      const origin = field === "embedOrigins" && issue.path[2] !== undefined ? origins[Number(issue.path[2])] : undefined;
      errors[field] ??=
        origin !== undefined
          ? s.notAnOrigin(origin)
          : field === "slug" && isReservedSlug(v.slug)
            ? s.slugReserved
            : (s.invalid[field] ?? issue.message);
    }
    return settingsPage(c, v, { errors, status: 422 });
  }
  if (v.senderName && senderNameHasAddress(v.senderName)) {
    return settingsPage(c, v, { errors: { senderName: c.var.t.settings.senderNameHasAddress }, status: 422 });
  }
  const admin = c.var.admin;
  const by = { role: admin.role, actor: `member:${admin.memberId}`, name: admin.email };
  const updated = await updateOrg(c.env.DB, admin.orgId, parsed.data, by, c.var.clock.now());
  if (!updated.ok) {
    if (updated.error.code === "slug_taken") return settingsPage(c, v, { errors: { slug: c.var.t.settings.slugTaken }, status: 409 });
    if (updated.error.code !== "forbidden") return messagePage(c, 404, "404", c.var.t.errors.notFound);
    const unchanged = Object.fromEntries(OWNER_ONLY_SETTINGS.map((k) => [k, current[k]]));
    return settingsPage(c, { ...v, ...unchanged }, { alert: c.var.t.settings.ownerOnlyRefused, status: 403 });
  }
  forgetOrgOrigins(admin.orgId);
  return c.redirect("/admin/settings?notice=saved", 303);
});
