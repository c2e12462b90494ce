// The hosted admin's registration form builder: add, edit, reorder and remove fields (plain form
// posts, each a new form version), a refusal naming the field, removal asked first, a preview
// rendering the same markup as the hosted code page, and another org's session out of reach.
import { afterEach, describe, expect, it, vi } from "vitest";
import { browse, signedInOwner, submit } from "./admin-helpers";
import { api, newSession, register, roster } from "./helpers";

afterEach(() => vi.restoreAllMocks());

const diet = {
  key: "diet",
  type: "choice",
  labelEn: "Diet",
  labelFr: "Régime",
  helpEn: "For <lunch>",
  helpFr: "Pour le déjeuner",
  required: "on",
  choices: "veg | Vegetarian | Végétarien\nnone",
};

describe("the registration form builder", () => {
  it("adds, edits, moves and removes fields, each change a new version, answers kept; the preview shows them escaped", async () => {
    const { owner, key } = await signedInOwner();
    const s = await newSession(key);
    const path = `/admin/sessions/${s.id}/form`;
    expect((await browse("GET", `/admin/sessions/${s.id}`, { cookie: owner.cookie })).text).toContain(path);
    expect((await submit(owner, `${path}/add`, diet)).status).toBe(303);
    expect((await submit(owner, `${path}/add`, { key: "age", type: "number", labelEn: "Age" })).status).toBe(303);
    let form = (await api("GET", `/v1/sessions/${s.id}`, { key })).body.form;
    expect(form.version).toBe(2);
    expect(form.fields[0]).toMatchObject({
      key: "diet",
      required: true,
      label: { en: "Diet", fr: "Régime" },
      choices: [{ value: "veg", label: { en: "Vegetarian", fr: "Végétarien" } }, { value: "none" }],
    });
    expect(form.fields[1]).toMatchObject({ key: "age", type: "number", label: { en: "Age", fr: "Age" }, required: false });
    expect((await register(s.id, { name: "Ada", email: "ada@example.org", answers: { diet: "veg", age: 36 } })).status).toBe(201);

    const page = await browse("GET", path, { cookie: owner.cookie, headers: { "accept-language": "fr" } });
    expect(page.text).toContain("Aperçu");
    expect(page.text).toContain('id="preview-diet-0"');
    expect(page.text).toContain("Pour le déjeuner");
    const english = await browse("GET", path, { cookie: owner.cookie });
    expect(english.text).toContain("For &lt;lunch&gt;");
    expect(english.text).not.toContain("For <lunch>");

    expect((await submit(owner, `${path}/age/up`)).status).toBe(303);
    form = (await api("GET", `/v1/sessions/${s.id}`, { key })).body.form;
    expect(form.fields.map((f: { key: string }) => f.key)).toEqual(["age", "diet"]);

    expect((await submit(owner, `${path}/diet`, { ...diet, labelEn: "Food needs", required: "" })).status).toBe(303);
    form = (await api("GET", `/v1/sessions/${s.id}`, { key })).body.form;
    expect(form.fields[1]).toMatchObject({ key: "diet", label: { en: "Food needs" }, required: false });

    // Removing asks first (a page with its button), then removes.
    const ask = await browse("GET", `${path}/diet/remove`, { cookie: owner.cookie });
    expect(ask.text).toContain("Yes, remove it");
    expect((await submit(owner, `${path}/diet/remove`)).status).toBe(303);
    form = (await api("GET", `/v1/sessions/${s.id}`, { key })).body.form;
    expect(form.fields.map((f: { key: string }) => f.key)).toEqual(["age"]);
    expect(form.version).toBe(5);
    expect((await roster(key, s.id)).rows[0]).toMatchObject({ answers: { diet: "veg", age: 36 }, formVersion: 2 });
  });

  it("refuses a bad field with 422 naming it, and changes nothing", async () => {
    const { owner, key } = await signedInOwner();
    const s = await newSession(key);
    const path = `/admin/sessions/${s.id}/form`;
    const bad = await submit(owner, `${path}/add`, { key: "Bad Key", type: "choice", labelEn: "X" });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('id="key-error"');
    expect(bad.text).toContain('id="choices-error"');
    expect((await api("GET", `/v1/sessions/${s.id}`, { key })).body.form).toBeNull();
    expect((await submit(owner, `${path}/add`, { key: "a", type: "text", labelEn: "A" })).status).toBe(303);
    const twice = await submit(owner, `${path}/add`, { key: "a", type: "text", labelEn: "Again" });
    expect(twice.status).toBe(422);
    expect(twice.text).toContain("Another question already has this key: choose another.");
    expect((await api("GET", `/v1/sessions/${s.id}`, { key })).body.form.fields).toHaveLength(1);
    // In French, each sentence says what the field takes; none is the API's English.
    const french = await submit(owner, `${path}/add`, { key: "Bad Key", type: "choice", labelEn: "X" }, { "accept-language": "fr" });
    expect(french.text).toContain("Commencez par une minuscule, puis lettres, chiffres ou _, 40 au plus.");
    expect(french.text).toContain("Donnez au moins un choix, un par ligne.");
    expect(french.text).not.toMatch(/must |needs at least/);
  });

  it("keeps another org's session out of reach", async () => {
    const { owner } = await signedInOwner();
    const other = await signedInOwner("Other camp");
    const theirs = await newSession(other.key, { form: { fields: [{ key: "a", type: "text", label: "A" }] } });
    expect((await browse("GET", `/admin/sessions/${theirs.id}/form`, { cookie: owner.cookie })).status).toBe(404);
    expect((await submit(owner, `/admin/sessions/${theirs.id}/form/a/remove`)).status).toBe(404);
    expect((await api("GET", `/v1/sessions/${theirs.id}`, { key: other.key })).body.form.fields).toHaveLength(1);
  });
});
