// The session's questions are asked of whoever takes a place in it (SPEC, registration forms): an
// invited person answers them on accepting, through the link as on the public page; a missing
// required answer is refused with 422 naming it, and nothing is taken; the answers are kept with
// the form's version, on the roster. Declining answers nothing.
import { describe, expect, it } from "vitest";
import { api, expectProblem, newOrg, newSession, roster } from "./helpers";
import { invited, linkClient, listInvitations, QUESTIONS, tokenOf } from "./invitation-helpers";

async function invitedTo(form: unknown = QUESTIONS) {
  const { key } = await newOrg();
  const s = await newSession(key, { form });
  const [inv] = (await invited(key, s.id, { recipients: "Ada <ada@example.org>" })).invitations;
  return { key, s, inv, token: await tokenOf(s.id, inv.id) };
}

describe("accepting an invitation to a session that asks questions", () => {
  it("shows the questions on the link, refuses an acceptance without the required answers with 422 naming each, and takes nothing", async () => {
    const { key, s, inv, token } = await invitedTo();
    const link = linkClient();
    expect((await link.open(token)).body.session.form).toMatchObject({
      version: 1,
      fields: [{ key: "age" }, { key: "rules" }, { key: "note" }],
    });
    const refused = await link.accept(token, { name: "Ada", answers: { note: "Allergic to nuts" } });
    expectProblem(refused, "validation_failed");
    expect(refused.body.errors.map((e: { path: string; code: string }) => `${e.path} ${e.code}`).sort()).toEqual([
      "answers.age required",
      "answers.rules not_ticked",
    ]);
    expect((await roster(key, s.id)).rows.filter((r: { kind: string }) => r.kind === "registration")).toEqual([]);
    expect((await listInvitations(key, s.id)).map((i) => i.id === inv.id && i.status)).toEqual(["sent"]);
  });

  it("takes the seat with the answers, kept with the form's version and shown on the roster", async () => {
    const { key, s, token } = await invitedTo();
    const res = await linkClient().accept(token, { name: "Ada", answers: { age: 9, rules: true }, formVersion: 1 });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.registration.status).toBe("confirmed");
    const row = (await roster(key, s.id)).rows.find((r: { kind: string }) => r.kind === "registration");
    expect(row).toMatchObject({ email: "ada@example.org", source: "invitation", answers: { age: 9, rules: true }, formVersion: 1 });
  });

  it("refuses answers to a form that changed since the link was opened with 409 form_changed, carrying the new one", async () => {
    const { key, s, token } = await invitedTo();
    await api("PATCH", `/v1/sessions/${s.id}`, { key, body: { form: { fields: [{ key: "t", type: "text", label: "T" }] } } });
    const res = await linkClient().accept(token, { name: "Ada", answers: { age: 9, rules: true }, formVersion: 1 });
    expectProblem(res, "form_changed");
    expect(res.body.form.version).toBe(2);
  });

  it("lets the invited person decline without answering", async () => {
    const { key, s, token } = await invitedTo();
    expect((await linkClient().decline(token)).status).toBe(200);
    expect((await listInvitations(key, s.id)).map((i) => i.status)).toEqual(["declined"]);
  });

  it("asks nothing of a session whose questions are all optional", async () => {
    const { token } = await invitedTo({ fields: [{ key: "note", type: "text", label: "Anything we should know" }] });
    expect((await linkClient().accept(token, { name: "Ada" })).status).toBe(201);
  });
});
