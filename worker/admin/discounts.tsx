// The discount-code catalogue in the hosted admin: the org's codes (what each takes off, its window,
// its uses, where it applies), creating one through the API's own schema and store, archiving
// (asked first) and restoring. Codes are never deleted: registrations name them.

import type { Context } from "hono";
import { Hono } from "hono";
import { CreateDiscountCodeBody, type DiscountCodeView } from "../discounts/schemas";
import { createDiscountCode, listDiscountCodes, readDiscountCode, restrictionChoices, updateDiscountCode } from "../discounts/store";
import { typedMinorUnits } from "../sessions/price";
import type { AdminEnv } from "./context";
import { discountStrings } from "./discounts-i18n";
import { currencyOptions, ErrorSummary, type FieldErrors, InputField, SelectField } from "./fields";
import { messagePage } from "./guard";
import { formatInstant, TAGS } from "./i18n";
import { AdminPage, ConfirmPage, CsrfField, noticeOf, PostButton } from "./layout";

export const discountPages = new Hono<AdminEnv>();

const d = (c: Context<AdminEnv>) => discountStrings[c.var.locale];

/** What a code takes off, as the admin's language writes it: "10%", "€5.00". */
export function discountAmount(code: Pick<DiscountCodeView, "percentOff" | "amountOff" | "currency">, locale: "en" | "fr"): string {
  const tag = TAGS[locale];
  if (code.percentOff != null) return new Intl.NumberFormat(tag, { style: "percent" }).format(code.percentOff / 100);
  const money = new Intl.NumberFormat(tag, { style: "currency", currency: code.currency ?? "EUR" });
  return money.format((code.amountOff ?? 0) / 10 ** (money.resolvedOptions().maximumFractionDigits ?? 2));
}

type Typed = Record<string, string | string[]>;

async function discountsPage(c: Context<AdminEnv>, opts: { errors?: FieldErrors; typed?: Typed; status?: 200 | 409 | 422 } = {}) {
  const t = c.var.t;
  const s = d(c);
  const orgId = c.var.admin.orgId;
  const [codes, choices] = await Promise.all([listDiscountCodes(c.env.DB, orgId), restrictionChoices(c.env.DB, orgId)]);
  const typed = opts.typed ?? {};
  const one = (name: string) => (typeof typed[name] === "string" ? (typed[name] as string) : "");
  const errors = opts.errors ?? {};
  const day = (instant: string) =>
    new Intl.DateTimeFormat(TAGS[c.var.locale], { dateStyle: "medium", timeZone: "UTC" }).format(new Date(instant));
  const window = (code: DiscountCodeView) =>
    code.validFrom || code.validUntil
      ? [
          code.validFrom ? s.from(day(code.validFrom)) : "",
          // validUntil is the first instant it no longer works: the day before is the last one.
          code.validUntil ? s.until(day(new Date(Date.parse(code.validUntil) - 1).toISOString())) : "",
        ]
          .filter(Boolean)
          .join(" ")
      : s.always;
  return c.html(
    <AdminPage locale={c.var.locale} t={t} title={s.title} admin={c.var.admin} current="discounts" notice={noticeOf(c)}>
      <h1>{s.title}</h1>
      <p>{s.intro}</p>
      {codes.length ? (
        <table class="cards">
          <thead>
            <tr>
              <th scope="col">{s.code}</th>
              <th scope="col">{s.discount}</th>
              <th scope="col">{s.window}</th>
              <th scope="col">{s.uses}</th>
              <th scope="col">{s.restriction}</th>
              <th scope="col">{s.status}</th>
            </tr>
          </thead>
          <tbody>
            {codes.map((code) => (
              <tr>
                <td data-label={s.code}>
                  <code>{code.code}</code>
                </td>
                <td data-label={s.discount}>{discountAmount(code, c.var.locale)}</td>
                <td data-label={s.window}>{window(code)}</td>
                <td data-label={s.uses}>{s.usesOf(code.uses, code.maxUses)}</td>
                <td data-label={s.restriction}>
                  {code.sessionIds.length || code.programIds.length
                    ? s.restricted(code.sessionIds.length, code.programIds.length)
                    : s.everywhere}
                </td>
                <td data-label={s.status}>
                  {code.active ? (
                    <>
                      {s.active}{" "}
                      <a href={`/admin/discounts/${code.id}/archive`} aria-label={s.archiveLabel(code.code)}>
                        {s.archive}
                      </a>
                    </>
                  ) : (
                    <>
                      {s.archived}{" "}
                      <PostButton admin={c.var.admin} action={`/admin/discounts/${code.id}/restore`} label={s.restoreLabel(code.code)}>
                        {s.restore}
                      </PostButton>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="card">{s.none}</p>
      )}
      <h2 id="new">{s.newTitle}</h2>
      <form method="post" action="/admin/discounts" class="card" novalidate>
        <CsrfField admin={c.var.admin} />
        <ErrorSummary
          t={t}
          errors={errors}
          labels={{ code: s.code, value: s.value, currency: s.currency, validUntil: s.validUntil, maxUses: s.maxUses }}
        />
        <InputField
          name="code"
          label={s.code}
          hint={s.codeHint}
          required
          errors={errors}
          value={one("code")}
          attrs={{ maxlength: 64, autocomplete: "off" }}
        />
        <SelectField
          name="kind"
          label={s.kind}
          value={one("kind") || "percent"}
          options={[
            { value: "percent", label: s.percent },
            { value: "amount", label: s.amount },
          ]}
        />
        <InputField
          name="value"
          label={s.value}
          hint={s.valueHint}
          required
          errors={errors}
          value={one("value")}
          attrs={{ inputmode: "decimal" }}
        />
        <SelectField
          name="currency"
          label={s.currency}
          errors={errors}
          value={one("currency") || "EUR"}
          options={currencyOptions(one("currency") || "EUR")}
        />
        <InputField name="validFrom" label={s.validFrom} type="date" errors={errors} value={one("validFrom")} />
        <InputField name="validUntil" label={s.validUntil} type="date" errors={errors} value={one("validUntil")} />
        <InputField
          name="maxUses"
          label={s.maxUses}
          hint={s.maxUsesHint}
          type="number"
          errors={errors}
          value={one("maxUses")}
          attrs={{ min: 1 }}
        />
        <fieldset>
          <legend>{s.restriction}</legend>
          <p class="hint">{s.restrictionHint}</p>
          {choices.sessions.length > 0 && (
            <SelectField
              name="sessionIds"
              label={s.sessions}
              options={choices.sessions.map((session) => ({
                value: session.id,
                label: `${session.title} — ${formatInstant(session.startsAt, session.timeZone, c.var.locale)}`,
              }))}
              attrs={{ multiple: true, size: Math.min(6, choices.sessions.length) }}
            />
          )}
          {choices.programs.length > 0 && (
            <SelectField
              name="programIds"
              label={s.programs}
              options={choices.programs.map((program) => ({ value: program.id, label: program.name }))}
              attrs={{ multiple: true, size: Math.min(6, choices.programs.length) }}
            />
          )}
        </fieldset>
        <button type="submit">{s.create}</button>
      </form>
    </AdminPage>,
    opts.status ?? 200,
  );
}

discountPages.get("/discounts", (c) => discountsPage(c));

/** The day after `date` (YYYY-MM-DD) at 00:00 UTC: "valid until" includes the day typed. */
const dayAfter = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString();

discountPages.post("/discounts", async (c) => {
  const s = d(c);
  const form = (await c.req.parseBody({ all: true })) as Record<string, string | string[] | File>;
  const typed: Typed = {};
  for (const [name, value] of Object.entries(form))
    if (typeof value === "string" || Array.isArray(value)) typed[name] = value as string | string[];
  const one = (name: string) => (typeof typed[name] === "string" ? (typed[name] as string).trim() : "");
  const many = (name: string) => [typed[name] ?? []].flat().filter((v): v is string => typeof v === "string" && v !== "");
  const errors: FieldErrors = {};
  const percent = one("kind") !== "amount";
  const currency = one("currency") || "EUR";
  const value = percent ? Number(one("value")) : typedMinorUnits(one("value"), currency);
  if (value === null || !Number.isInteger(value) || value < 1 || (percent && value > 100)) errors.value = s.invalidValue;
  const body = {
    code: one("code"),
    ...(percent ? { percentOff: value } : { amountOff: value, currency }),
    ...(one("validFrom") ? { validFrom: `${one("validFrom")}T00:00:00Z` } : {}),
    ...(one("validUntil") && /^\d{4}-\d{2}-\d{2}$/.test(one("validUntil")) ? { validUntil: dayAfter(one("validUntil")) } : {}),
    ...(one("maxUses") ? { maxUses: Number(one("maxUses")) } : {}),
    sessionIds: many("sessionIds"),
    programIds: many("programIds"),
  };
  const parsed = CreateDiscountCodeBody.safeParse(body);
  if (!parsed.success) {
    const messages: Record<string, string> = {
      code: s.invalidCode,
      percentOff: s.invalidValue,
      amountOff: s.invalidValue,
      currency: s.invalidCurrency,
      validFrom: s.invalidWindow,
      validUntil: s.invalidWindow,
      maxUses: s.invalidMaxUses,
    };
    const field = (key: string) => (key === "percentOff" || key === "amountOff" ? "value" : key);
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? "");
      if (messages[key]) errors[field(key)] ??= messages[key];
    }
  }
  if (!parsed.success || Object.keys(errors).length) return discountsPage(c, { errors, typed, status: 422 });
  const created = await createDiscountCode(c.env.DB, c.var.admin.orgId, parsed.data, c.var.clock.now());
  if (!created.ok) {
    const code = created.error.code;
    return discountsPage(c, {
      errors: code === "discount_code_taken" ? { code: s.taken } : { code: created.error.detail ?? s.invalidCode },
      typed,
      status: code === "discount_code_taken" ? 409 : 422,
    });
  }
  return c.redirect("/admin/discounts?notice=discountCreated", 303);
});

// Archiving asks first, naming the code and what it means for those who have it.
discountPages.get("/discounts/:id/archive", async (c) => {
  const s = d(c);
  const code = await readDiscountCode(c.env.DB, c.var.admin.orgId, c.req.param("id").slice(0, 64));
  if (!code) return messagePage(c, 404, "404", c.var.t.errors.notFound);
  return c.html(
    <ConfirmPage
      locale={c.var.locale}
      t={c.var.t}
      admin={c.var.admin}
      current="discounts"
      title={s.archiveTitle(code.code)}
      warning={s.archiveWarning}
      action={`/admin/discounts/${code.id}/archive`}
      confirm={s.archiveConfirm}
      back={{ href: "/admin/discounts", label: c.var.t.cancel }}
    />,
  );
});

for (const [action, active, notice] of [
  ["archive", false, "discountArchived"],
  ["restore", true, "discountRestored"],
] as const)
  discountPages.post(`/discounts/:id/${action}`, async (c) => {
    const changed = await updateDiscountCode(c.env.DB, c.var.admin.orgId, c.req.param("id").slice(0, 64), { active }, c.var.clock.now());
    if (!changed.ok) return messagePage(c, 404, "404", c.var.t.errors.notFound);
    return c.redirect(`/admin/discounts?notice=${notice}`, 303);
  });
