// <rollcall-join> with a registration form: the questions render labelled, help and errors tied to
// their controls, required ones checked before sending, the API's 422 errors under their question,
// answers sent with the form version, and form_changed replacing the questions.
import { expect, fixture, html, waitUntil } from "@open-wc/testing";
import "../../widget/join/define";
import type { PublicSession } from "../../widget/api/client";
import type { RollcallJoin } from "../../widget/join/join";
import { $, API, inviteLink, mockApi, problem, publicSession, SESSION_ID, type } from "./api-mock";

const SESSION = `GET /v1/public/sessions/${SESSION_ID}`;
const REGISTER = `POST /v1/public/sessions/${SESSION_ID}/registrations`;

const FORM = {
  version: 3,
  fields: [
    {
      key: "diet",
      type: "choice",
      label: { en: "Diet", fr: "Régime" },
      help: { en: "For the lunches", fr: "Pour les repas" },
      required: true,
      choices: [
        { value: "veg", label: { en: "Vegetarian", fr: "Végétarien" } },
        { value: "none", label: { en: "No preference", fr: "Sans préférence" } },
      ],
    },
    { key: "age", type: "number", label: { en: "Age", fr: "Âge" }, help: null, required: false },
    { key: "rules", type: "checkbox", label: { en: "I accept the rules", fr: "J’accepte le règlement" }, help: null, required: true },
  ],
} as unknown as PublicSession["form"];

let api: ReturnType<typeof mockApi>;
afterEach(() => api?.restore());

async function open(routes: Parameters<typeof mockApi>[0], locale = "en") {
  api = mockApi(routes);
  const el = await fixture<RollcallJoin>(html`<rollcall-join session=${SESSION_ID} api=${API} locale=${locale}></rollcall-join>`);
  await waitUntil(() => el.shadowRoot!.querySelector("h2"), "the session never showed");
  $(el, "button").click();
  await waitUntil(() => el.shadowRoot!.querySelector("#q-diet-0"), "the questions never showed");
  return el;
}

const submit = (el: RollcallJoin) => ($(el, "button[type=submit]") as HTMLButtonElement).click();

describe("<rollcall-join> with a registration form", () => {
  it("renders each question with its label, its help and its error tied to it, in the element's language", async () => {
    const el = await open({ [SESSION]: { body: publicSession({ form: FORM }) } }, "fr");
    const diet = $(el, "fieldset");
    expect(diet.querySelector("legend")!.textContent).to.equal("Régime *");
    expect(diet.getAttribute("aria-describedby")).to.equal("q-diet-error q-diet-hint");
    expect($(el, "#q-diet-hint").textContent).to.equal("Pour les repas");
    expect(diet.textContent).to.contain("Végétarien");
    expect($(el, "label[for=q-age]").textContent).to.equal("Âge");
    expect($(el, "#q-age").getAttribute("type")).to.equal("number");
    expect($(el, "#q-rules").getAttribute("aria-describedby")).to.equal("q-rules-error");
    expect($(el, "[part=form]").textContent).to.contain("Les champs marqués d’un * sont obligatoires.");
    await expect(el).to.be.accessible();
  });

  it("marks every required control with aria-required and a visible *, whose meaning it says", async () => {
    const form = {
      version: 3,
      fields: [
        ...FORM!.fields,
        { key: "bio", type: "longText", label: { en: "About you", fr: "À propos" }, help: null, required: true },
        {
          key: "days",
          type: "multiChoice",
          label: { en: "Days", fr: "Jours" },
          help: null,
          required: true,
          choices: [{ value: "mon", label: { en: "Monday", fr: "Lundi" } }],
        },
      ],
    } as unknown as PublicSession["form"];
    const el = await open({ [SESSION]: { body: publicSession({ form, registrationCodeRequired: true }) } });
    const marked = (id: string) => $(el, `label[for=${id}]`).textContent!.trim().endsWith("*");
    for (const id of ["name", "email", "code", "q-bio"]) {
      expect($(el, `#${id}`).getAttribute("aria-required"), id).to.equal("true");
      expect(marked(id), id).to.equal(true);
    }
    // Radio buttons are required as a group; a ticked box by itself.
    const diet = $(el, "fieldset");
    expect(diet.getAttribute("role")).to.equal("radiogroup");
    expect(diet.getAttribute("aria-required")).to.equal("true");
    expect(diet.querySelector("legend")!.textContent).to.equal("Diet *");
    expect($(el, "#q-rules").getAttribute("aria-required")).to.equal("true");
    expect($(el, "#q-rules").closest("label")!.textContent!.trim()).to.equal("I accept the rules *");
    // Checkboxes have no required state of their own: their group is described as required in words.
    const days = el.shadowRoot!.querySelectorAll("fieldset")[1]!;
    expect(days.querySelector("legend")!.textContent).to.equal("Days *");
    expect(days.getAttribute("aria-describedby")).to.equal("q-days-error q-days-required");
    expect($(el, "#q-days-required").textContent).to.equal("Required.");
    // The optional ones carry neither.
    expect($(el, "#q-age").getAttribute("aria-required")).to.not.equal("true");
    expect(marked("q-age")).to.equal(false);
    expect($(el, "[part=form]").textContent).to.contain("Fields marked * are required.");
    // The form checks itself: no native required (it would stop the submit with the browser's own bubble).
    expect(el.shadowRoot!.querySelector("[required]")).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it("refuses to send while a required question is empty, naming each", async () => {
    const el = await open({ [SESSION]: { body: publicSession({ form: FORM }) } });
    type($(el, "#name"), "Ada Lovelace");
    type($(el, "#email"), "ada@example.org");
    submit(el);
    await waitUntil(() => $(el, "#q-diet-error").textContent !== "");
    expect($(el, "#q-diet-error").textContent).to.equal("Required.");
    expect($(el, "#q-rules-error").textContent).to.equal("Tick this box to go on.");
    expect($(el, "#q-age-error").textContent).to.equal("");
    expect(api.calls.filter((c) => c.method === "POST")).to.have.length(0);
  });

  it("sends the answers with the form version, and shows the API's 422 under each question", async () => {
    const el = await open({
      [SESSION]: { body: publicSession({ form: FORM }) },
      [REGISTER]: problem(422, "validation_failed", { errors: [{ path: "answers.age", message: "must be a number" }] }),
    });
    type($(el, "#name"), "Ada Lovelace");
    type($(el, "#email"), "ada@example.org");
    ($(el, "#q-diet-0") as HTMLInputElement).click();
    ($(el, "#q-rules") as HTMLInputElement).click();
    type($(el, "#q-age"), "36");
    submit(el);
    await waitUntil(() => $(el, "#q-age-error").textContent !== "", "the 422 never showed");
    const post = api.calls.find((c) => c.method === "POST")!;
    expect(post.body).to.deep.include({ answers: { diet: "veg", age: 36, rules: true }, formVersion: 3 });
    expect($(el, "#q-age-error").textContent).to.equal("must be a number");
    expect($(el, "#q-age").getAttribute("aria-invalid")).to.equal("true");
  });

  it("says each field the API refused in the element's language, from its code", async () => {
    const el = await open(
      {
        [SESSION]: { body: publicSession({ form: FORM }) },
        [REGISTER]: problem(422, "validation_failed", {
          errors: [
            { path: "name", code: "too_long", message: "Too big: expected string to have <=200 characters", params: { max: 200 } },
            { path: "answers.age", code: "not_a_number", message: "must be a number" },
            { path: "answers.age", code: "too_large", message: "a second problem of the same field", params: { max: 120 } },
          ],
        }),
      },
      "fr",
    );
    type($(el, "#name"), "Ada Lovelace");
    type($(el, "#email"), "ada@example.org");
    ($(el, "#q-diet-0") as HTMLInputElement).click();
    ($(el, "#q-rules") as HTMLInputElement).click();
    submit(el);
    await waitUntil(() => $(el, "#q-age-error").textContent !== "", "the 422 never showed");
    expect($(el, "#q-age-error").textContent).to.equal("Écrivez un nombre.");
    expect($(el, "#name-error").textContent).to.equal("Trop long : 200 caractères au plus.");
    expect($(el, "#name").getAttribute("aria-invalid")).to.equal("true");
  });

  it("shows the new questions when the form changed meanwhile (409 form_changed)", async () => {
    const changed = {
      version: 4,
      fields: [{ key: "shirt", type: "text", label: { en: "Shirt size", fr: "Taille" }, help: null, required: false }],
    };
    const el = await open({
      [SESSION]: { body: publicSession({ form: FORM }) },
      [REGISTER]: problem(409, "form_changed", { form: changed }),
    });
    type($(el, "#name"), "Ada Lovelace");
    type($(el, "#email"), "ada@example.org");
    ($(el, "#q-diet-1") as HTMLInputElement).click();
    ($(el, "#q-rules") as HTMLInputElement).click();
    submit(el);
    await waitUntil(() => el.shadowRoot!.querySelector("#q-shirt"), "the new questions never showed");
    expect(el.shadowRoot!.querySelector("#q-diet-0")).to.equal(null);
    expect($(el, "[role=alert]").textContent).to.contain("questions changed");
  });

  it("asks an invited person the questions too, and sends the answers with the acceptance", async () => {
    const token = "sesinv_0h4k8m2q9rvt3x7c1a5d.secret";
    api = mockApi({
      [`GET /v1/invites/${token}`]: inviteLink({ expiresAt: null }, { form: FORM }),
      [`POST /v1/invites/${token}/accept`]: {
        status: 201,
        body: { registration: { id: "reg_1", name: "Ada Lovelace", email: "ada@example.org", status: "confirmed" }, manageToken: "m" },
      },
    });
    const el = await fixture<RollcallJoin>(html`<rollcall-join api=${API} invite=${token}></rollcall-join>`);
    await waitUntil(() => el.shadowRoot!.querySelector("[part=invitation]"), "the invitation never showed");
    $(el, "button").click(); // Accept
    await waitUntil(() => el.shadowRoot!.querySelector("#q-diet-0"), "the questions never showed");
    submit(el);
    await waitUntil(() => $(el, "#q-rules-error").textContent !== "");
    expect(api.calls.filter((c) => c.method === "POST")).to.have.length(0);
    ($(el, "#q-diet-1") as HTMLInputElement).click();
    ($(el, "#q-rules") as HTMLInputElement).click();
    submit(el);
    await waitUntil(() => api.calls.some((c) => c.method === "POST"), "the acceptance was never sent");
    expect(api.calls.find((c) => c.method === "POST")!.body).to.deep.include({ answers: { diet: "none", rules: true }, formVersion: 3 });
  });

  it("shows no questions for a session without a form", async () => {
    api = mockApi({ [SESSION]: { body: publicSession() } });
    const el = await fixture<RollcallJoin>(html`<rollcall-join session=${SESSION_ID} api=${API}></rollcall-join>`);
    await waitUntil(() => el.shadowRoot!.querySelector("h2"));
    $(el, "button").click();
    await waitUntil(() => el.shadowRoot!.querySelector("form"));
    expect(el.shadowRoot!.querySelector("fieldset, [id^=q-]")).to.equal(null);
  });
});
