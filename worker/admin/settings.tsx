// The organisation's settings in the hosted admin: name, sender name, reply-to, allowed embed
// origins, invitation link template, default language and how long personal data is kept. Validated by the same schema as
// PATCH /v1/org; an emptied field clears its setting.

import type { Context } from "hono";
import { Hono } from "hono";
import { forgetOrgOrigins } from "../auth/origins";
import { LOCALE_NAMES, LOCALES } from "../i18n/locales";
import { readOrg, updateOrg } from "../orgs/orgs";
import { DEFAULT_RETENTION_MONTHS, MAX_RETENTION_MONTHS, MIN_RETENTION_MONTHS } from "../orgs/retention";
import { OrgPatchBody } from "../orgs/schemas";
import type { AdminEnv } from "./context";
import { ErrorSummary, type FieldErrors, InputField, SelectField, TextareaField } from "./fields";
import { messagePage } from "./guard";
import { AdminPage, CsrfField, noticeOf } from "./layout";

export const settingsPages = new Hono<AdminEnv>();

type SettingsValues = {
  name: string;
  senderName: string;
  replyTo: string;
  embedOrigins: string;
  invitationLinkTemplate: string;
  defaultLocale: string;
  retentionMonths: string;
};

function settingsPage(c: Context<AdminEnv>, v: SettingsValues, errors: FieldErrors = {}, status: 200 | 422 = 200) {
  const t = c.var.t;
  const s = t.settings;
  const labels = {
    name: s.name,
    senderName: s.senderName,
    replyTo: s.replyTo,
    embedOrigins: s.embedOrigins,
    invitationLinkTemplate: s.invitationLinkTemplate,
    defaultLocale: s.defaultLocale,
    retentionMonths: s.retentionMonths,
  };
  return c.html(
    <AdminPage locale={c.var.locale} t={t} title={s.title} admin={c.var.admin} current="settings" notice={noticeOf(c)}>
      <h1>{s.title}</h1>
      <ErrorSummary title={t.fixErrors} errors={errors} labels={labels} />
      <form method="post" action="/admin/settings" class="card" novalidate>
        <CsrfField admin={c.var.admin} />
        <InputField name="name" label={s.name} value={v.name} required errors={errors} attrs={{ maxlength: 200 }} />
        <InputField
          name="senderName"
          label={s.senderName}
          hint={s.senderNameHint}
          value={v.senderName}
          errors={errors}
          attrs={{ maxlength: 100 }}
        />
        <InputField name="replyTo" label={s.replyTo} hint={s.replyToHint} type="email" value={v.replyTo} errors={errors} />
        <TextareaField
          name="embedOrigins"
          label={s.embedOrigins}
          hint={s.embedOriginsHint}
          value={v.embedOrigins}
          errors={errors}
          inputClass="code"
        />
        <InputField
          name="invitationLinkTemplate"
          label={s.invitationLinkTemplate}
          hint={s.invitationLinkTemplateHint}
          type="url"
          value={v.invitationLinkTemplate}
          errors={errors}
          inputClass="code"
        />
        <SelectField
          name="defaultLocale"
          label={s.defaultLocale}
          hint={s.defaultLocaleHint}
          value={v.defaultLocale}
          errors={errors}
          options={[{ value: "", label: s.noLocale }, ...LOCALES.map((locale) => ({ value: locale, label: LOCALE_NAMES[locale] }))]}
        />
        <InputField
          name="retentionMonths"
          label={s.retentionMonths}
          hint={s.retentionMonthsHint(DEFAULT_RETENTION_MONTHS, MIN_RETENTION_MONTHS, MAX_RETENTION_MONTHS)}
          type="number"
          value={v.retentionMonths}
          errors={errors}
          attrs={{ min: MIN_RETENTION_MONTHS, max: MAX_RETENTION_MONTHS, step: 1, inputmode: "numeric" }}
        />
        <button type="submit">{t.save}</button>
      </form>
    </AdminPage>,
    status,
  );
}

settingsPages.get("/settings", async (c) => {
  const org = await readOrg(c.env.DB, c.var.admin.orgId);
  if (!org) return messagePage(c, 404, "404", c.var.t.errors.notFound);
  const s = org.settings;
  return settingsPage(c, {
    name: org.name,
    senderName: s.senderName ?? "",
    replyTo: s.replyTo ?? "",
    embedOrigins: (s.embedOrigins ?? []).join("\n"),
    invitationLinkTemplate: s.invitationLinkTemplate ?? "",
    defaultLocale: s.defaultLocale ?? "",
    retentionMonths: s.retentionMonths === undefined ? "" : String(s.retentionMonths),
  });
});

settingsPages.post("/settings", async (c) => {
  const form = await c.req.parseBody();
  const text = (name: keyof SettingsValues) => (typeof form[name] === "string" ? (form[name] as string).trim() : "");
  const v: SettingsValues = {
    name: text("name"),
    senderName: text("senderName"),
    replyTo: text("replyTo"),
    embedOrigins: text("embedOrigins"),
    invitationLinkTemplate: text("invitationLinkTemplate"),
    defaultLocale: text("defaultLocale"),
    retentionMonths: text("retentionMonths"),
  };
  const origins = v.embedOrigins.split(/[\s,]+/).filter(Boolean);
  const parsed = OrgPatchBody.safeParse({
    name: v.name,
    settings: {
      senderName: v.senderName || null,
      replyTo: v.replyTo || null,
      embedOrigins: origins.length ? origins : null,
      invitationLinkTemplate: v.invitationLinkTemplate || null,
      defaultLocale: v.defaultLocale || null,
      // Not a number ("abc", "6.5") stays one, and the schema says what is wrong with it.
      retentionMonths: v.retentionMonths ? Number(v.retentionMonths) : null,
    },
  });
  if (!parsed.success) {
    const errors: FieldErrors = {};
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] === "settings" ? issue.path[1] : issue.path[0]);
      const entry =
        issue.path[0] === "settings" && issue.path[1] === "embedOrigins" && issue.path[2] !== undefined
          ? `${origins[Number(issue.path[2])]}: `
          : "";
      errors[field] ??= entry + issue.message;
    }
    return settingsPage(c, v, errors, 422);
  }
  await updateOrg(c.env.DB, c.var.admin.orgId, parsed.data);
  forgetOrgOrigins(c.var.admin.orgId);
  return c.redirect("/admin/settings?notice=saved", 303);
});
