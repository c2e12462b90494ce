// <rollcall-join>'s discount code: a field of priced sessions only (the public view names a price), sent as typed, and
// the API's refusal (discount_invalid|expired|exhausted|not_applicable) said under it.
import { expect, fixture, html, waitUntil } from "@open-wc/testing";
import "../../widget/join/define";
import type { RollcallJoin } from "../../widget/join/join";
import { $, API, mockApi, problem, publicSession, SESSION_ID, type } from "./api-mock";

const SESSION = `GET /v1/public/sessions/${SESSION_ID}`;
const REGISTER = `POST /v1/public/sessions/${SESSION_ID}/registrations`;

let api: ReturnType<typeof mockApi>;
afterEach(() => api?.restore());

async function open(routes: Parameters<typeof mockApi>[0], locale = "en") {
  api = mockApi(routes);
  const el = await fixture<RollcallJoin>(html`<rollcall-join session=${SESSION_ID} api=${API} locale=${locale}></rollcall-join>`);
  await waitUntil(() => el.shadowRoot!.querySelector("h2"), "the session never showed");
  $(el, "button").click();
  await waitUntil(() => el.shadowRoot!.querySelector("#name"), "the form never showed");
  return el;
}

const fill = (el: RollcallJoin) => {
  type($(el, "#name"), "Ada Lovelace");
  type($(el, "#email"), "ada@example.org");
};
const submit = (el: RollcallJoin) => ($(el, "button[type=submit]") as HTMLButtonElement).click();

describe("<rollcall-join>'s discount code", () => {
  it("is not asked on a free session", async () => {
    const el = await open({ [SESSION]: { body: publicSession() } });
    expect(el.shadowRoot!.querySelector("#discount")).to.equal(null);
  });

  it("is an optional field of a priced session, sent as typed, and left out when empty", async () => {
    const el = await open({
      [SESSION]: { body: publicSession({ price: { amount: 2500, currency: "EUR" } }) },
      [REGISTER]: [problem(409, "capacity_full"), problem(409, "capacity_full")],
    });
    expect($(el, "label[for=discount]").textContent).to.equal("Discount code (optional)");
    await expect(el).to.be.accessible();
    fill(el);
    submit(el);
    await waitUntil(() => api.calls.some((c) => c.method === "POST"));
    expect(api.calls.find((c) => c.method === "POST")!.body).to.not.have.property("discountCode");
    await waitUntil(() => !(el.shadowRoot!.querySelector("button[type=submit]") as HTMLButtonElement).disabled);
    type($(el, "#discount"), " early10 ");
    submit(el);
    await waitUntil(() => api.calls.filter((c) => c.method === "POST").length === 2);
    expect(api.calls.filter((c) => c.method === "POST")[1]!.body).to.deep.include({ discountCode: "early10" });
  });

  for (const [code, en, fr] of [
    [
      "discount_invalid",
      "This discount code does not exist. Check its spelling.",
      "Ce code de réduction n’existe pas. Vérifiez son orthographe.",
    ],
    ["discount_expired", "This discount code is not valid at this time.", "Ce code de réduction n’est pas valable en ce moment."],
    [
      "discount_exhausted",
      "This discount code has already been used as many times as it may.",
      "Ce code de réduction a déjà été utilisé autant de fois que permis.",
    ],
    [
      "discount_not_applicable",
      "This discount code does not apply to this session.",
      "Ce code de réduction ne s’applique pas à cette séance.",
    ],
  ] as const)
    it(`says ${code} under the field, in English and French`, async () => {
      for (const [locale, message] of [
        ["en", en],
        ["fr", fr],
      ] as const) {
        const el = await open(
          { [SESSION]: { body: publicSession({ price: { amount: 2500, currency: "EUR" } }) }, [REGISTER]: problem(422, code) },
          locale,
        );
        fill(el);
        type($(el, "#discount"), "NOPE");
        submit(el);
        await waitUntil(() => $(el, "#discount-error").textContent !== "", `${code} was not shown`);
        expect($(el, "#discount-error").textContent).to.equal(message);
        expect($(el, "#discount").getAttribute("aria-invalid")).to.equal("true");
        expect($(el, "p[part=error]").textContent).to.equal("");
        api.restore();
      }
    });
});
