// The session form: every field of a session, with dates as wall-clock times in a chosen IANA
// zone. What a person typed goes back into the form unchanged when something is refused; what is
// sent to the ledger is the API's own input, validated by the API's own schemas.

import type { z } from "@hono/zod-openapi";
import type { Child } from "hono/jsx";
import { type FieldError, isBetweenFields } from "../errors/fields";
import { fieldErrorsOfIssues } from "../errors/issues";
import { MAX_REFUND_UNTIL_DAYS, typedAmount, typedMinorUnits } from "../sessions/price";
import {
  CreateSessionBody,
  type CreateSessionInput,
  type SessionView,
  UpdateSessionBody,
  type UpdateSessionInput,
} from "../sessions/schemas";
import { ianaName, ianaZones, isIanaTimeZone } from "../time/zoned";
import type { Admin } from "./context";
import {
  CheckboxField,
  currencyOptions,
  ErrorSummary,
  type FieldErrors,
  InputField,
  SelectField,
  type SelectOption,
  TextareaField,
} from "./fields";
import type { Strings } from "./i18n";
import { CsrfField } from "./layout";
import { instantToZoned, zonedToInstant } from "./zoned-time";

export type SessionFormValues = {
  title: string;
  description: string;
  startsAtLocal: string;
  timeZone: string;
  durationMinutes: string;
  minParticipants: string;
  maxParticipants: string;
  hostCountsAsParticipant: boolean;
  registrationOpensAtLocal: string;
  registrationClosesAtLocal: string;
  registrationCode: string;
  waitlist: boolean;
  confirmByEmail: boolean;
  listed: boolean;
  /** Comma-separated. */
  tags: string;
  /** Empty: 48 hours before the start. */
  decisionAtLocal: string;
  belowMinimum: "cancel" | "ask";
  location: string;
  onlineUrl: string;
  /** In major units ("25.50"); empty: free. */
  price: string;
  currency: string;
  /** Empty: no refund on the participant's own cancellation. */
  refundUntilDays: string;
};

export function blankSession(timeZone: string): SessionFormValues {
  return {
    title: "",
    description: "",
    startsAtLocal: "",
    timeZone,
    durationMinutes: "60",
    minParticipants: "1",
    maxParticipants: "20",
    hostCountsAsParticipant: false,
    registrationOpensAtLocal: "",
    registrationClosesAtLocal: "",
    registrationCode: "",
    waitlist: true,
    confirmByEmail: false,
    listed: true,
    tags: "",
    decisionAtLocal: "",
    belowMinimum: "cancel",
    location: "",
    onlineUrl: "",
    price: "",
    currency: "EUR",
    refundUntilDays: "",
  };
}

export function sessionValues(s: SessionView): SessionFormValues {
  const local = (instant: string | null) => (instant ? instantToZoned(instant, s.timeZone) : "");
  return {
    title: s.title,
    description: s.description,
    startsAtLocal: local(s.startsAt),
    timeZone: s.timeZone,
    durationMinutes: String(s.durationMinutes),
    minParticipants: String(s.minParticipants),
    maxParticipants: String(s.maxParticipants),
    hostCountsAsParticipant: s.hostCountsAsParticipant,
    registrationOpensAtLocal: local(s.registrationOpensAt),
    // Closing at the start is the default: shown empty, so moving the start moves it too.
    registrationClosesAtLocal: s.registrationClosesAt === s.startsAt ? "" : local(s.registrationClosesAt),
    registrationCode: s.registrationCode ?? "",
    waitlist: s.waitlist,
    confirmByEmail: s.confirmByEmail,
    listed: s.listed,
    tags: s.tags.join(", "),
    decisionAtLocal: local(s.decisionAt),
    belowMinimum: s.belowMinimum,
    location: s.location ?? "",
    onlineUrl: s.onlineUrl ?? "",
    price: s.price ? typedAmount(s.price) : "",
    currency: s.price?.currency ?? "EUR",
    refundUntilDays: s.refundUntilDays === null ? "" : String(s.refundUntilDays),
  };
}

export function formValues(form: Record<string, unknown>): SessionFormValues {
  const text = (name: string) => (typeof form[name] === "string" ? (form[name] as string) : "");
  return {
    title: text("title"),
    description: text("description"),
    startsAtLocal: text("startsAtLocal"),
    timeZone: text("timeZone"),
    durationMinutes: text("durationMinutes"),
    minParticipants: text("minParticipants"),
    maxParticipants: text("maxParticipants"),
    hostCountsAsParticipant: form.hostCountsAsParticipant === "on",
    registrationOpensAtLocal: text("registrationOpensAtLocal"),
    registrationClosesAtLocal: text("registrationClosesAtLocal"),
    registrationCode: text("registrationCode"),
    waitlist: form.waitlist === "on",
    confirmByEmail: form.confirmByEmail === "on",
    listed: form.listed === "on",
    tags: text("tags"),
    decisionAtLocal: text("decisionAtLocal"),
    belowMinimum: form.belowMinimum === "ask" ? "ask" : "cancel",
    location: text("location"),
    onlineUrl: text("onlineUrl"),
    price: text("price"),
    currency: text("currency"),
    refundUntilDays: text("refundUntilDays"),
  };
}

/** The form field an API field error belongs to. */
const formField = (path: string) =>
  (
    ({
      startsAt: "startsAtLocal",
      registrationOpensAt: "registrationOpensAtLocal",
      registrationClosesAt: "registrationClosesAtLocal",
      decisionAt: "decisionAtLocal",
      "price.currency": "currency",
    }) as Record<string, string>
  )[path] ??
  path.split(".")[0] ??
  path;

/**
 * Field errors in the visitor's language. A rule between fields (the API's `custom` issues, and
 * every error the ledger finds after merging an edit) has its own sentence; any other problem
 * with a field gets the sentence that says what the field takes.
 */
export function fieldErrorsOf(errors: readonly FieldError[] | undefined, t: Strings, betweenFields = false): FieldErrors {
  const out: FieldErrors = {};
  for (const e of errors ?? []) {
    const field = formField(e.path || "form");
    const mismatch = betweenFields || isBetweenFields(e.code);
    out[field] ??= (mismatch ? t.form.mismatch[field] : t.form.invalid[field]) ?? e.message;
  }
  return out;
}

const whole = (value: string) => (/^\s*\d+\s*$/.test(value) ? Number(value) : value);

const DATE_FIELDS = ["startsAtLocal", "registrationOpensAtLocal", "registrationClosesAtLocal", "decisionAtLocal"] as const;

/** The fields as the API takes them: instants from wall-clock times in the chosen zone. */
function apiFields(v: SessionFormValues, t: Strings): { fields: Record<string, unknown>; errors: FieldErrors; zoneKnown: boolean } {
  const errors: FieldErrors = {};
  const zoneKnown = isIanaTimeZone(v.timeZone);
  const instant = (name: (typeof DATE_FIELDS)[number], required: boolean) => {
    const value = v[name].trim();
    if (!value) {
      if (required) errors[name] = t.form.invalidDateTime;
      return null;
    }
    const converted = zonedToInstant(value, zoneKnown ? v.timeZone : "UTC");
    if (!converted) errors[name] = t.form.invalidDateTime;
    return converted;
  };
  const fields = {
    title: v.title,
    description: v.description,
    startsAt: instant("startsAtLocal", true),
    timeZone: v.timeZone,
    durationMinutes: whole(v.durationMinutes),
    minParticipants: whole(v.minParticipants),
    maxParticipants: whole(v.maxParticipants),
    hostCountsAsParticipant: v.hostCountsAsParticipant,
    registrationOpensAt: instant("registrationOpensAtLocal", false),
    registrationClosesAt: instant("registrationClosesAtLocal", false),
    registrationCode: v.registrationCode.trim() || null,
    waitlist: v.waitlist,
    confirmByEmail: v.confirmByEmail,
    listed: v.listed,
    decisionAt: instant("decisionAtLocal", false),
    belowMinimum: v.belowMinimum,
    tags: v.tags
      .split(",")
      .map((tag) => tag.trim())
      .filter(Boolean),
    location: v.location.trim() || null,
    onlineUrl: v.onlineUrl.trim() || null,
    // An amount that is not one goes to the API as typed: its schema names the field.
    price: v.price.trim() ? { amount: typedMinorUnits(v.price, v.currency) ?? v.price, currency: v.currency } : null,
    refundUntilDays: v.refundUntilDays.trim() ? whole(v.refundUntilDays) : null,
  };
  return { fields, errors, zoneKnown };
}

type Parsed<T> = { ok: true; input: T } | { ok: false; errors: FieldErrors };

type Schema<T> = {
  safeParse(value: unknown): { success: true; data: T } | { success: false; error: { issues: z.core.$ZodIssue[] } };
};

function parseWith<T>(schema: Schema<T>, v: SessionFormValues, t: Strings): Parsed<T> {
  const { fields, errors, zoneKnown } = apiFields(v, t);
  const parsed = schema.safeParse(fields);
  const fromSchema = fieldErrorsOf(parsed.success ? [] : fieldErrorsOfIssues(parsed.error.issues), t);
  // With an unknown zone no date can be placed: the zone's own error says what to fix.
  if (!zoneKnown) for (const name of DATE_FIELDS) delete fromSchema[name];
  const all = { ...fromSchema, ...errors };
  return parsed.success && !Object.keys(all).length ? { ok: true, input: parsed.data } : { ok: false, errors: all };
}

export const createInput = (v: SessionFormValues, t: Strings): Parsed<CreateSessionInput> => parseWith(CreateSessionBody, v, t);
export const updateInput = (v: SessionFormValues, t: Strings): Parsed<UpdateSessionInput> => parseWith(UpdateSessionBody, v, t);

let zoneOptions: SelectOption[] | null = null;

/**
 * The zone a new session or program most likely has: where Cloudflare locates the visitor, by its
 * IANA name, else UTC. A form asking it marks its select `data-browser-zone`, which admin.js sets
 * to the browser's own zone, when the page runs scripts.
 */
export function guessedZone(request: Request): string {
  const guess = (request.cf as { timezone?: string } | undefined)?.timezone;
  return guess && isIanaTimeZone(guess) ? ianaName(guess) : "UTC";
}

/**
 * Every zone the runtime knows, by its IANA name (the older name ICU reports kept as an alias, so a
 * browser reporting it still finds it), plus the one selected if it is unknown to the list.
 */
export function timeZoneOptions(selected: string) {
  zoneOptions ??= ianaZones().map((zone) => ({ value: zone, label: zone.replaceAll("_", " ") }));
  return zoneOptions.some((o) => o.value === selected) || !selected ? zoneOptions : [{ value: selected, label: selected }, ...zoneOptions];
}

export function SessionForm(opts: {
  t: Strings;
  admin: Admin;
  action: string;
  values: SessionFormValues;
  errors: FieldErrors;
  submit: string;
  cancelHref: string;
  /** A new, untouched form: the browser may put its own zone in place of the default (admin.js). */
  browserZone?: boolean;
  /** Fields of the session kept outside the ledger (its host), placed before the buttons. */
  extra?: Child;
}) {
  const { t, values: v, errors } = opts;
  const f = t.form;
  const labels: Record<string, string> = {
    title: f.title,
    description: f.description,
    startsAtLocal: f.startsAt,
    timeZone: f.timeZone,
    durationMinutes: f.durationMinutes,
    minParticipants: f.minParticipants,
    maxParticipants: f.maxParticipants,
    hostCountsAsParticipant: f.hostCountsAsParticipant,
    registrationOpensAtLocal: f.registrationOpensAt,
    registrationClosesAtLocal: f.registrationClosesAt,
    registrationCode: f.registrationCode,
    invite: f.invite,
    waitlist: f.waitlist,
    confirmByEmail: f.confirmByEmail,
    listed: f.listed,
    tags: f.tags,
    decisionAtLocal: f.decisionAt,
    belowMinimum: f.belowMinimum,
    location: f.location,
    onlineUrl: f.onlineUrl,
    price: f.price,
    currency: f.currency,
    refundUntilDays: f.refundUntilDays,
  };
  const number = (name: "durationMinutes" | "minParticipants" | "maxParticipants", min: number) => (
    <InputField
      name={name}
      label={labels[name] ?? name}
      type="number"
      value={v[name]}
      required
      errors={errors}
      attrs={{ min, step: 1, inputmode: "numeric" }}
    />
  );
  return (
    <>
      <ErrorSummary t={t} errors={errors} labels={labels} />
      <form method="post" action={opts.action} class="card" novalidate>
        <CsrfField admin={opts.admin} />
        <InputField name="title" label={f.title} value={v.title} required errors={errors} attrs={{ maxlength: 200 }} />
        <TextareaField
          name="description"
          label={f.description}
          value={v.description}
          required
          errors={errors}
          attrs={{ maxlength: 5000 }}
        />
        <div class="row">
          <InputField name="startsAtLocal" label={f.startsAt} type="datetime-local" value={v.startsAtLocal} required errors={errors} />
          <SelectField
            name="timeZone"
            label={f.timeZone}
            hint={f.timeZoneHint}
            value={ianaName(v.timeZone)}
            required
            errors={errors}
            options={timeZoneOptions(ianaName(v.timeZone))}
            attrs={opts.browserZone ? { "data-browser-zone": "" } : undefined}
          />
        </div>
        <div class="row">
          {number("durationMinutes", 1)}
          {number("minParticipants", 0)}
          {number("maxParticipants", 1)}
        </div>
        <div class="row">
          <InputField
            name="decisionAtLocal"
            label={f.decisionAt}
            hint={f.decisionAtHint}
            type="datetime-local"
            value={v.decisionAtLocal}
            errors={errors}
          />
          <SelectField
            name="belowMinimum"
            label={f.belowMinimum}
            value={v.belowMinimum}
            errors={errors}
            options={[
              { value: "cancel", label: f.belowMinimumCancel },
              { value: "ask", label: f.belowMinimumAsk },
            ]}
          />
        </div>
        <CheckboxField
          name="hostCountsAsParticipant"
          label={f.hostCountsAsParticipant}
          checked={v.hostCountsAsParticipant}
          errors={errors}
        />
        <CheckboxField name="waitlist" label={f.waitlist} checked={v.waitlist} errors={errors} />
        <CheckboxField
          name="confirmByEmail"
          label={f.confirmByEmail}
          hint={f.confirmByEmailHint}
          checked={v.confirmByEmail}
          errors={errors}
        />
        <CheckboxField name="listed" label={f.listed} hint={f.listedHint} checked={v.listed} errors={errors} />
        <InputField name="tags" label={f.tags} hint={f.tagsHint} value={v.tags} errors={errors} />
        <InputField
          name="location"
          label={f.location}
          hint={f.locationHint}
          value={v.location}
          errors={errors}
          attrs={{ maxlength: 300 }}
        />
        <InputField
          name="onlineUrl"
          label={f.onlineUrl}
          hint={f.onlineUrlHint}
          type="url"
          value={v.onlineUrl}
          errors={errors}
          attrs={{ maxlength: 2000, placeholder: "https://" }}
        />
        <div class="row">
          <InputField
            name="price"
            label={f.price}
            hint={f.priceHint}
            value={v.price}
            errors={errors}
            attrs={{ inputmode: "decimal", maxlength: 12 }}
          />
          <SelectField name="currency" label={f.currency} value={v.currency} errors={errors} options={currencyOptions(v.currency)} />
          <InputField
            name="refundUntilDays"
            label={f.refundUntilDays}
            hint={f.refundUntilDaysHint}
            type="number"
            value={v.refundUntilDays}
            errors={errors}
            attrs={{ min: 0, max: MAX_REFUND_UNTIL_DAYS, step: 1, inputmode: "numeric" }}
          />
        </div>
        <div class="row">
          <InputField
            name="registrationOpensAtLocal"
            label={f.registrationOpensAt}
            hint={f.registrationOpensHint}
            type="datetime-local"
            value={v.registrationOpensAtLocal}
            errors={errors}
          />
          <InputField
            name="registrationClosesAtLocal"
            label={f.registrationClosesAt}
            hint={f.registrationClosesHint}
            type="datetime-local"
            value={v.registrationClosesAtLocal}
            errors={errors}
          />
        </div>
        <InputField
          name="registrationCode"
          label={f.registrationCode}
          hint={f.registrationCodeHint}
          value={v.registrationCode}
          errors={errors}
          attrs={{ maxlength: 64, autocomplete: "off" }}
        />
        {opts.extra}
        <div class="actions">
          <button type="submit">{opts.submit}</button>
          <a href={opts.cancelHref}>{t.cancel}</a>
        </div>
      </form>
    </>
  );
}
