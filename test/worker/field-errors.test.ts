// Every refused field says why as a stable code (errors/fields.ts), whatever the route: the schema's
// own checks by their kind, a refinement by the code it names, and the rules between fields and
// against stored data by theirs. Each code has a sentence in English and in French.
import { z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import { FIELD_PROBLEMS } from "../../worker/errors/fields";
import { fieldErrorsOfIssues, problemOfIssue } from "../../worker/errors/issues";
import { refusedFields } from "../../worker/errors/problem";
import { checkAnswers } from "../../worker/forms/answers";
import type { FormField } from "../../worker/forms/schema";
import { fieldProblemSentence, fieldProblemSentences } from "../../worker/i18n/field-problems";
import { api, expectProblem, newOrg, newSession, register, sessionBody } from "./helpers";

const issueOf = (schema: z.ZodType, value: unknown) => {
  const r = schema.safeParse(value);
  if (r.success) throw new Error(`${JSON.stringify(value)} was accepted`);
  return problemOfIssue(r.error.issues[0]!);
};

describe("problemOfIssue: a code for each kind of check", () => {
  it.each([
    ["a string too long", z.string().max(3), "abcd", "too_long", { max: 3 }],
    ["an empty required string", z.string().min(1), "", "required", undefined],
    ["a string too short", z.string().min(3), "ab", "too_short", { min: 3 }],
    ["too many values", z.array(z.string()).max(1), ["a", "b"], "too_many", { max: 1 }],
    ["too few values", z.array(z.string()).min(2), ["a"], "too_few", { min: 2 }],
    ["a number too small", z.number().min(1), 0, "too_small", { min: 1 }],
    ["a number too large", z.number().max(10), 11, "too_large", { max: 10 }],
    ["a word not among the options", z.enum(["email", "sms"]), "fax", "not_an_option", { options: "email, sms" }],
    ["text where a number goes", z.number(), "ten", "not_a_number", undefined],
    ["a number where text goes", z.string(), 10, "wrong_type", { expected: "string" }],
    ["a field the body does not have", z.object({}).strict(), { plan: "gold" }, "unknown_field", { keys: "plan" }],
    ["an address zod's format refuses", z.email(), "ada@", "email_invalid", undefined],
    [
      "a refinement that names its code",
      z.string().refine(() => false, { message: "no", params: { problem: "not_one_line" } }),
      "x",
      "not_one_line",
      undefined,
    ],
    ["a refinement that names none", z.string().refine(() => false, "no"), "x", "invalid", undefined],
  ] as const)("%s: %s", (_name, schema, value, code, params) => {
    const problem = issueOf(schema as z.ZodType, value);
    expect(problem.code).toBe(code);
    expect(problem.params).toEqual(params);
  });

  it("keeps a whole problem's code (params.code) out of the field's params", () => {
    const schema = z
      .string()
      .refine(() => false, { message: "must be an https:// URL", params: { code: "online_url_not_https", problem: "not_https" } });
    expect(issueOf(schema, "http://x")).toEqual({ code: "not_https", message: "must be an https:// URL" });
  });

  it("names the path into the request, `(body)` for the whole", () => {
    const r = z.object({ a: z.object({ b: z.string() }) }).safeParse({ a: { b: 1 } });
    expect(fieldErrorsOfIssues(r.error!.issues, ["answers"])[0]!.path).toBe("answers.a.b");
    const whole = z
      .object({})
      .refine(() => false, "no")
      .safeParse({});
    expect(fieldErrorsOfIssues(whole.error!.issues)[0]!.path).toBe("(body)");
  });
});

describe("every code has its sentences", () => {
  it.each(FIELD_PROBLEMS)("%s says something in English and in French", (code) => {
    const params = { max: 3, min: 1, options: "email, sms", keys: "plan", line: 2, groups: "Nord", other: "amountOff", expected: "string" };
    const en = fieldProblemSentences.en[code](params);
    const fr = fieldProblemSentences.fr[code](params);
    expect(en).toMatch(/\S/);
    expect(fr).toMatch(/\S/);
    expect(fr).not.toBe(en);
    // Every {param} filled in ({token} is the placeholder the template itself takes).
    expect(`${en} ${fr}`.replaceAll("{token}", "")).not.toMatch(/undefined|\{|\}/);
  });

  it("says a code newer than the table as the generic sentence", () => {
    expect(fieldProblemSentence("fr", { code: "from_the_future" })).toBe("cette valeur n’est pas valide.");
  });
});

describe("the API names each refused field with its code", () => {
  it("a public registration: a name too long and an address that is not one", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const res = await register(s.id, { name: "A".repeat(201), email: "ada@" });
    expectProblem(res, "validation_failed");
    expect(res.body.errors).toEqual([
      { path: "name", code: "too_long", message: expect.any(String), params: { max: 200 } },
      { path: "email", code: "email_invalid", message: "must be an email address" },
    ]);
  });

  it("a new session whose fields do not fit together", async () => {
    const { key } = await newOrg();
    const res = await api("POST", "/v1/sessions", { key, body: sessionBody({ minParticipants: 9, maxParticipants: 4 }) });
    expectProblem(res, "validation_failed");
    expect(res.body.errors).toContainEqual({
      path: "minParticipants",
      code: "more_than_max",
      message: "must not be more than maxParticipants",
    });
  });

  it("an edit that the ledger finds does not fit the stored session", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { minParticipants: 2, maxParticipants: 10 });
    const res = await api("PATCH", `/v1/sessions/${s.id}`, { key, body: { maxParticipants: 1 } });
    expectProblem(res, "validation_failed");
    expect(res.body.errors).toContainEqual(expect.objectContaining({ path: "minParticipants", code: "more_than_max" }));
  });

  it("a discount code with both kinds of amount, and one whose window ends before it starts", async () => {
    const { key } = await newOrg();
    const both = await api("POST", "/v1/discount-codes", { key, body: { code: "BOTH", percentOff: 10, amountOff: 500, currency: "EUR" } });
    expectProblem(both, "validation_failed");
    expect(both.body.errors).toContainEqual(
      expect.objectContaining({ path: "percentOff", code: "choose_one", params: { other: "amountOff" } }),
    );
    const reversed = await api("POST", "/v1/discount-codes", {
      key,
      body: { code: "LATE", percentOff: 10, validFrom: "2027-06-02T00:00:00Z", validUntil: "2027-06-01T00:00:00Z" },
    });
    expectProblem(reversed, "validation_failed");
    expect(reversed.body.errors).toContainEqual(expect.objectContaining({ path: "validUntil", code: "ends_before_start" }));
  });
});

describe("an organisation's address (slug)", () => {
  it.each([
    ["a word the service uses", "admin", "reserved", undefined],
    ["capitals and a space", "Forest Camp", "not_a_slug", undefined],
    ["two letters", "fc", "too_short", { min: 3 }],
  ] as const)("%s: %s is refused with %s", async (_name, slug, code, params) => {
    const { key } = await newOrg();
    const res = await api("PATCH", "/v1/org", { key, body: { slug } });
    expectProblem(res, "validation_failed");
    expect(res.body.errors).toEqual([{ path: "slug", code, message: expect.any(String), ...(params ? { params } : {}) }]);
  });
});

describe("an organisation's settings", () => {
  it("an invitation link template without {token}, and a sender name holding an address", async () => {
    const { key } = await newOrg();
    const template = await api("PATCH", "/v1/org", { key, body: { settings: { invitationLinkTemplate: "https://camp.example/join" } } });
    expectProblem(template, "validation_failed");
    expect(template.body.errors).toEqual([{ path: "settings.invitationLinkTemplate", code: "needs_token", message: expect.any(String) }]);
    const sender = await api("PATCH", "/v1/org", { key, body: { settings: { senderName: "Camp <camp@camp.example>" } } });
    expect(sender.body.errors).toEqual([{ path: "settings.senderName", code: "has_address", message: "contains an email address" }]);
  });
});

describe("a registration form's answers", () => {
  const form = [
    { key: "rules", type: "checkbox", label: "Rules", help: null, required: true },
    {
      key: "shirt",
      type: "choice",
      label: "Shirt",
      help: null,
      required: false,
      choices: [
        { value: "s", label: "S" },
        { value: "m", label: "M" },
      ],
    },
    { key: "age", type: "number", label: "Age", help: null, required: false },
  ] as unknown as FormField[];

  it("names an unticked consent, an option the form lacks, text for a number and a key it does not have", () => {
    const r = checkAnswers(form, { rules: false, shirt: "xl", age: "old", shoe: "42" });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const byPath = Object.fromEntries(refusedFields(r.error).map((e) => [e.path, e]));
    expect(byPath["answers.rules"]).toMatchObject({ code: "not_ticked" });
    expect(byPath["answers.shirt"]).toMatchObject({ code: "not_an_option", params: { options: "s, m" } });
    expect(byPath["answers.age"]).toMatchObject({ code: "not_a_number" });
    expect(byPath["answers.shoe"]).toMatchObject({ code: "unknown_field" });
  });
});
