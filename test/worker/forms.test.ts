// Registration forms (seed 004, "the form defined by the administrator"): the session's `form`, one
// zod schema built from it checking `answers` (422 naming each field), answers on the roster, in
// the CSV and in the confirmation and promotion emails, and versions that keep every answer already given.

import { describe, expect, it } from "vitest";
import { renderMail } from "../../worker/email/render";
import { refusedFields } from "../../worker/errors/problem";
import { answersSchema, checkAnswers } from "../../worker/forms/answers";
import { FormSchema } from "../../worker/forms/schema";
import { api, expectProblem, newOrg, newSession, register, roster, sessionState } from "./helpers";
import { captureMail, mailSoFar } from "./invitation-helpers";

/** One field of every type the SPEC names. */
const EVERY_TYPE = {
  fields: [
    {
      key: "nickname",
      type: "text",
      label: { en: "Nickname", fr: "Surnom" },
      required: true,
      help: { en: "As friends say it", fr: "Comme vos amis" },
    },
    { key: "about", type: "longText", label: "About you" },
    {
      key: "diet",
      type: "choice",
      label: { en: "Diet", fr: "Régime" },
      required: true,
      choices: [{ value: "veg", label: { en: "Vegetarian", fr: "Végétarien" } }, "none"],
    },
    { key: "days", type: "multiChoice", label: "Days", choices: ["mon", "tue", "wed"] },
    { key: "consent", type: "checkbox", label: { en: "I agree to the rules", fr: "J’accepte le règlement" }, required: true },
    { key: "age", type: "number", label: "Age" },
    { key: "birthday", type: "date", label: "Birthday" },
    { key: "phone", type: "phone", label: "Phone" },
  ],
};

const GOOD = {
  nickname: "Ada",
  about: "Line one\nline two",
  diet: "veg",
  days: ["wed", "mon"],
  consent: true,
  age: 36,
  birthday: "1815-12-10",
  phone: "+44 20 7946 0958",
};

const fields = () => FormSchema.parse(EVERY_TYPE).fields;

describe("answersSchema (one zod schema built from a form)", () => {
  it("accepts a good answer of every type, and keeps the picked choices in the form's order", () => {
    const parsed = answersSchema(fields()).parse(GOOD);
    expect(parsed).toEqual({ ...GOOD, days: ["mon", "wed"] });
  });

  it("refuses a bad answer of every type, each under its own key", () => {
    const r = checkAnswers(fields(), {
      nickname: "two\nlines",
      about: 42,
      diet: "meat",
      days: ["sun"],
      consent: "yes please",
      age: "old",
      birthday: "2023-02-30",
      phone: "call me",
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe("validation_failed");
    const paths = refusedFields(r.error)
      .map((e) => e.path)
      .sort();
    expect(paths).toEqual(["about", "age", "birthday", "consent", "days", "diet", "nickname", "phone"].map((k) => `answers.${k}`).sort());
  });

  it("names each missing required field (an unticked consent too) and each key the form lacks", () => {
    const r = checkAnswers(fields(), { consent: false, shoeSize: "42" });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const paths = refusedFields(r.error)
      .map((e) => e.path)
      .sort();
    expect(paths).toEqual(["answers.consent", "answers.diet", "answers.nickname", "answers.shoeSize"]);
  });

  it("takes the text an HTML form posts: numbers, a ticked box, one pick of many", () => {
    const parsed = answersSchema(fields()).parse({ nickname: "A", diet: "none", consent: "on", age: "7", days: "tue", about: "" });
    expect(parsed).toEqual({ nickname: "A", diet: "none", consent: true, age: 7, days: ["tue"] });
  });

  it("refuses a form whose keys repeat, or a choice field without choices", () => {
    expect(FormSchema.safeParse({ fields: [EVERY_TYPE.fields[0], EVERY_TYPE.fields[0]] }).success).toBe(false);
    expect(FormSchema.safeParse({ fields: [{ key: "x", type: "choice", label: "X" }] }).success).toBe(false);
    expect(FormSchema.safeParse({ fields: [{ key: "x", type: "text", label: "X", choices: ["a"] }] }).success).toBe(false);
  });
});

describe("a session's form through the API", () => {
  it("shows the form (its version) to the public, and refuses bad answers with 422 naming each field, leaving no trace", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { form: EVERY_TYPE });
    expect(s.form.version).toBe(1);
    expect(s.form.fields[0]).toMatchObject({ key: "nickname", label: { en: "Nickname", fr: "Surnom" }, help: { en: "As friends say it" } });
    const pub = await api("GET", `/v1/public/sessions/${s.id}`);
    expect(pub.body.form.version).toBe(1);
    expect(pub.body.form.fields).toHaveLength(8);
    const before = await sessionState(key, s.id);
    const res = await register(s.id, { name: "Ada", email: "ada@example.org", answers: { nickname: "", diet: "meat", extra: "x" } });
    expectProblem(res, "validation_failed");
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      "answers.consent",
      "answers.diet",
      "answers.extra",
      "answers.nickname",
    ]);
    expect(await sessionState(key, s.id)).toEqual(before);
  });

  it("stores good answers with the form version, and shows them on the roster", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { form: EVERY_TYPE });
    const res = await register(s.id, { name: "Ada", email: "ada@example.org", answers: GOOD, formVersion: 1 });
    expect(res.status).toBe(201);
    const r = await roster(key, s.id);
    expect(r.rows[0]).toMatchObject({ answers: { ...GOOD, days: ["mon", "wed"] }, formVersion: 1 });
    expect((r as any).formVersions.map((v: { version: number }) => v.version)).toEqual([1]);
  });

  it("refuses answers given against a form that has since changed with 409 form_changed, carrying the new form", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { form: EVERY_TYPE });
    await api("PATCH", `/v1/sessions/${s.id}`, { key, body: { form: { fields: [{ key: "t", type: "text", label: "T" }] } } });
    const res = await register(s.id, { name: "Ada", email: "ada@example.org", answers: GOOD, formVersion: 1 });
    expectProblem(res, "form_changed");
    expect(res.body.form.version).toBe(2);
  });

  it("versions the form: an edit keeps every answer given, and a removed field's answers stay under its old label", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, {
      form: {
        fields: [
          { key: "diet", type: "text", label: "Diet" },
          { key: "shirt", type: "choice", label: "Shirt size", choices: ["S", "M"] },
        ],
      },
    });
    expect((await register(s.id, { name: "Ada", email: "ada@example.org", answers: { diet: "vegan", shirt: "M" } })).status).toBe(201);
    const edited = await api("PATCH", `/v1/sessions/${s.id}`, {
      key,
      body: {
        form: {
          fields: [
            { key: "diet", type: "text", label: "Food needs" },
            { key: "bus", type: "checkbox", label: "Coming by bus" },
          ],
        },
      },
    });
    expect(edited.status).toBe(200);
    expect(edited.body.form.version).toBe(2);
    // The same form again is no new version.
    const same = await api("PATCH", `/v1/sessions/${s.id}`, { key, body: { form: { fields: edited.body.form.fields } } });
    expect(same.body.form.version).toBe(2);
    // The old answers no longer fit the new form, and are kept as given.
    expectProblem(await register(s.id, { name: "Bo", email: "bo@example.org", answers: { diet: "x", shirt: "S" } }), "validation_failed");
    expect((await register(s.id, { name: "Bo", email: "bo@example.org", answers: { diet: "none", bus: true } })).status).toBe(201);
    const r = await roster(key, s.id);
    const ada = r.rows.find((row) => row.name === "Ada");
    expect(ada).toMatchObject({ answers: { diet: "vegan", shirt: "M" }, formVersion: 1 });
    expect((r as any).formVersions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    const csv = await api("GET", `/v1/sessions/${s.id}/roster.csv`, { key });
    const [header, ...lines] = (csv.body as string)
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    // One column per field ever asked: the current ones (latest labels), then the removed one.
    expect(header!.split(",").slice(-3)).toEqual(["Food needs", "Coming by bus", "Shirt size"]);
    expect(
      lines
        .find((l) => l.startsWith("confirmed,Ada"))!
        .split(",")
        .slice(-3),
    ).toEqual(["vegan", "", "M"]);
    expect(
      lines
        .find((l) => l.startsWith("confirmed,Bo"))!
        .split(",")
        .slice(-3),
    ).toEqual(["none", "Yes", ""]);
    // Removing the form keeps its versions and the answers.
    const removed = await api("PATCH", `/v1/sessions/${s.id}`, { key, body: { form: null } });
    expect(removed.body.form).toBeNull();
    expect((await roster(key, s.id)).rows.find((row) => row.name === "Ada").answers).toEqual({ diet: "vegan", shirt: "M" });
  });

  it("writes answers into the CSV formula-safe, labels included", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { form: { fields: [{ key: "note", type: "text", label: '=HYPERLINK("x")' }] } });
    await register(s.id, { name: "Ada", email: "ada@example.org", answers: { note: "=1+2" } });
    const csv = (await api("GET", `/v1/sessions/${s.id}/roster.csv`, { key })).body as string;
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
    expect(csv).toContain("'=1+2");
    expect(csv).not.toMatch(/,=1\+2/);
  });

  it("lists question → answer in the confirmation email, in the registrant's language, escaped", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, {
      form: { fields: [...EVERY_TYPE.fields.slice(2, 3), { key: "note", type: "text", label: { en: "Note", fr: "Remarque" } }] },
    });
    const captured = await captureMail(s.id);
    await register(s.id, { name: "Ada", email: "ada@example.org", locale: "fr", answers: { diet: "veg", note: "<b>hi</b>" } });
    const [message] = await mailSoFar(s.id, captured);
    expect(message.template).toBe("registration_confirmed");
    const { html, text } = renderMail(message);
    expect(text).toContain("Vos réponses");
    expect(text).toMatch(/Régime\W+Végétarien/);
    expect(text).toMatch(/Remarque\W+<b>hi<\/b>/);
    expect(html).toContain("&lt;b&gt;hi&lt;/b&gt;");
    expect(html).not.toContain("<b>hi</b>");
  });

  it("lists question → answer in the email of a seat freed from the waitlist too, in the registrant's language, escaped", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, {
      maxParticipants: 1,
      minParticipants: 1,
      form: { fields: [...EVERY_TYPE.fields.slice(2, 3), { key: "note", type: "text", label: { en: "Note", fr: "Remarque" } }] },
    });
    const captured = await captureMail(s.id);
    const first = await register(s.id, { name: "Ada", email: "ada@example.org", answers: { diet: "none" } });
    const second = await register(s.id, {
      name: "Bo",
      email: "bo@example.org",
      locale: "fr",
      answers: { diet: "veg", note: "<i>late</i>" },
    });
    expect(second.body.registration.status).toBe("waitlisted");
    expect((await api("POST", `/v1/registrations/${first.body.registration.id}/cancel`, { key })).status).toBe(200);
    const promoted = (await mailSoFar(s.id, captured)).find((m) => m.template === "promoted");
    expect(promoted?.to).toBe("bo@example.org");
    const { html, text } = renderMail(promoted);
    expect(text).toContain("Vos réponses");
    expect(text).toMatch(/Régime\W+Végétarien/);
    expect(text).toMatch(/Remarque\W+<i>late<\/i>/);
    expect(html).toContain("&lt;i&gt;late&lt;/i&gt;");
    expect(html).not.toContain("<i>late</i>");
  });

  it("refuses a bad form with 422 naming the field, and creates nothing", async () => {
    const { key } = await newOrg();
    const res = await api("POST", "/v1/sessions", {
      key,
      body: {
        title: "T",
        description: "A morning together.",
        startsAt: new Date(Date.now() + 86_400_000 * 30).toISOString(),
        timeZone: "Europe/Paris",
        durationMinutes: 60,
        minParticipants: 0,
        maxParticipants: 5,
        form: { fields: [{ key: "Bad Key", type: "text", label: "x" }] },
      },
    });
    expectProblem(res, "validation_failed");
    expect(JSON.stringify(res.body.errors)).toContain("form.fields.0.key");
  });
});
