// A priced session in <rollcall-join>: registering keeps the manage token and where to pay, says
// "Taking you to payment…" with what is owed, and leaves for checkout, having told the API where to
// send the registrant back (this page, without `rollcall_checkout`). Back on the page, the token's
// status says how it went: paid, still held, or released; the parameter leaves the address bar.
import { expect, fixture, html, oneEvent, waitUntil } from "@open-wc/testing";
import "../../widget/join/define";
import type { RollcallJoin } from "../../widget/join/join";
import { checkout } from "../../widget/join/returning";
import { $, API, mockApi, problem, publicSession, SESSION_ID, text, type } from "./api-mock";

const SESSION = `GET /v1/public/sessions/${SESSION_ID}`;
const REGISTER = `POST /v1/public/sessions/${SESSION_ID}/registrations`;
const KEY = `rollcall:${API}:${SESSION_ID}`;
const MANAGE = `${SESSION_ID}.manage-secret`;
const STATUS = `GET /v1/manage/${MANAGE}`;
const CHECKOUT_URL = `${API}/dev/checkout/reg_${SESSION_ID.slice(4)}_1`;
const UNTIL = "2027-06-01T14:35:00.000Z";
const PAYING = { url: CHECKOUT_URL, until: UNTIL, amount: 2250, currency: "EUR" };
const priced = () => publicSession({ price: { amount: 2500, currency: "EUR" } });
const status = (s: string) => ({ body: { status: s, waitlistPosition: null } });

const page = location.pathname;
let api: ReturnType<typeof mockApi>;
let went: string[];
const go = checkout.go;
beforeEach(() => {
  went = [];
  checkout.go = (url) => went.push(url);
});
afterEach(() => {
  api?.restore();
  checkout.go = go;
  checkout.back = null;
  history.replaceState(null, "", page);
});

/** The element on a page whose address is `search`, once it shows the session (or its standing). */
async function join(routes: Parameters<typeof mockApi>[0], { search = "", locale = "en" } = {}) {
  history.replaceState(null, "", `${page}${search}`);
  api = mockApi(routes);
  const el = await fixture<RollcallJoin>(html`<rollcall-join session=${SESSION_ID} api=${API} locale=${locale}></rollcall-join>`);
  await waitUntil(() => el.shadowRoot!.querySelector("h2, [role=alert]"), "the session never showed", { timeout: 6000 });
  return el;
}

/** What this browser kept of a payment on its way: the token and where to pay. */
function keep(paying = PAYING) {
  localStorage.setItem(KEY, MANAGE);
  localStorage.setItem(`${KEY}:checkout`, JSON.stringify(paying));
}

const focused = (el: RollcallJoin) => el.shadowRoot!.activeElement;
const buttons = (el: RollcallJoin) => [...el.shadowRoot!.querySelectorAll("button")].map((b) => b.textContent!.trim());
const time = (locale: string) => new Intl.DateTimeFormat(locale, { timeStyle: "short" }).format(new Date(UNTIL));

async function register(el: RollcallJoin, discount = "") {
  $(el, "button").click();
  await waitUntil(() => el.shadowRoot!.querySelector("#name"), "the form never showed");
  type($(el, "#name"), "Ada Lovelace");
  type($(el, "#email"), "ada@example.org");
  if (discount) type($(el, "#discount"), discount);
  $(el, "button[type=submit]").click();
}

const pendingAnswer = {
  status: 201,
  body: {
    registration: { id: "reg_1", name: "Ada Lovelace", email: "ada@example.org", status: "pending_payment", waitlistPosition: null },
    payment: { amount: 2250, currency: "EUR", holdUntil: UNTIL },
    checkoutUrl: CHECKOUT_URL,
    manageToken: MANAGE,
  },
};

describe("<rollcall-join> on its way to checkout", () => {
  it("sends this page as returnUrl (without rollcall_checkout), keeps the token and where to pay, says so and leaves", async () => {
    const el = await join({ [SESSION]: { body: priced() }, [REGISTER]: pendingAnswer }, { search: "?from=news" });
    // A parameter left from an earlier return is not sent back.
    history.replaceState(null, "", `${page}?from=news&rollcall_checkout=cancelled`);
    await register(el, "EARLY10");
    await waitUntil(() => went.length, "the browser was not sent to checkout");
    expect(went).to.deep.equal([CHECKOUT_URL]);
    const body = api.calls.find((c) => c.method === "POST")!.body as Record<string, unknown>;
    expect(body.returnUrl).to.equal(`${location.origin}${page}?from=news`);
    expect(body.discountCode).to.equal("EARLY10");
    expect(text(el)).to.contain("Taking you to payment…");
    // What is owed after the discount, as the answer gives it.
    expect(text(el)).to.contain("You pay €22.50");
    expect($(el, "[part=message]").getAttribute("role")).to.equal("status");
    expect(focused(el)?.textContent).to.equal("Taking you to payment…");
    // Should the browser stay (a frame that may not leave), the way there is a button.
    expect(buttons(el)).to.deep.equal(["Complete your payment"]);
    $(el, "button").click();
    expect(went).to.deep.equal([CHECKOUT_URL, CHECKOUT_URL]);
    expect(localStorage.getItem(KEY)).to.equal(MANAGE);
    expect(JSON.parse(localStorage.getItem(`${KEY}:checkout`)!)).to.deep.equal(PAYING);
    const stored = JSON.stringify({ ...localStorage });
    expect(stored).not.to.contain("Ada");
    expect(stored).not.to.contain("ada@example.org");
  });

  it("says what is owed in French, and sends no returnUrl for a free session", async () => {
    let el = await join({ [SESSION]: { body: priced() }, [REGISTER]: pendingAnswer }, { locale: "fr" });
    await register(el);
    await waitUntil(() => went.length);
    expect(text(el)).to.contain("Redirection vers le paiement…");
    expect(text(el).replace(/\s/g, " ")).to.contain("Vous payez 22,50 €");
    api.restore();
    el = await join({
      [SESSION]: { body: publicSession() },
      [REGISTER]: { status: 201, body: { ...pendingAnswer.body, payment: undefined, checkoutUrl: undefined } },
    });
    await register(el);
    await waitUntil(() => api.calls.some((c) => c.method === "POST"));
    expect(api.calls.find((c) => c.method === "POST")!.body).not.to.have.property("returnUrl");
  });

  it("accepting an invitation to a priced session goes to checkout the same way, with this page as returnUrl", async () => {
    const TOKEN = `${SESSION_ID}.invite-secret`;
    const invitation = {
      status: "sent",
      name: "Ada Lovelace",
      emailMasked: "a•••@example.org",
      holdSeat: true,
      discountCode: "CAMP10",
      expiresAt: null,
      requireEmailMatch: false,
      message: null,
      reopenable: false,
    };
    api = mockApi({
      [`GET /v1/invites/${TOKEN}`]: { body: { session: priced(), invitation } },
      [`POST /v1/invites/${TOKEN}/accept`]: pendingAnswer,
    });
    const el = await fixture<RollcallJoin>(html`<rollcall-join api=${API} invite=${TOKEN}></rollcall-join>`);
    await waitUntil(() => el.shadowRoot!.querySelector("button"), "the invitation never showed", { timeout: 6000 });
    $(el, "button").click();
    await waitUntil(() => el.shadowRoot!.querySelector("#name"), "the form never showed");
    $(el, "button[type=submit]").click();
    await waitUntil(() => went.length, "the browser was not sent to checkout");
    expect(went).to.deep.equal([CHECKOUT_URL]);
    const body = api.calls.find((c) => c.method === "POST")!.body as Record<string, unknown>;
    expect(body.returnUrl).to.equal(`${location.origin}${page}`);
    await waitUntil(() => text(el).includes("Taking you to payment…"), "the way to checkout was not said");
    expect(text(el)).to.contain("You pay €22.50");
    expect(localStorage.getItem(KEY)).to.equal(MANAGE);
  });
});

describe("<rollcall-join> when the checkout could not be started", () => {
  const keys = () => api.calls.filter((c) => c.method === "POST").map((c) => c.headers["idempotency-key"]);
  const alert = (el: RollcallJoin) =>
    $(el, "form [role=alert]")
      .textContent!.replace(/[ \t\r\n]+/g, " ")
      .trim();
  async function submit(el: RollcallJoin) {
    const failed = oneEvent(el, "rollcall-error");
    $(el, "button[type=submit]").click();
    await failed;
    await el.updateComplete;
  }

  it("a checkout failed for a moment: says nothing was charged and to try again, and the next click sends the same Idempotency-Key", async () => {
    const failed = problem(503, "checkout_failed", { heldUntil: UNTIL, retryAfter: 10 });
    const el = await join({ [SESSION]: { body: priced() }, [REGISTER]: [failed, pendingAnswer] });
    const refused = oneEvent(el, "rollcall-error");
    await register(el);
    expect((await refused).detail.code).to.equal("checkout_failed");
    await el.updateComplete;
    expect(alert(el)).to.equal("The payment could not start; nothing was charged. Try again in a moment.");
    expect(alert(el)).not.to.contain("cannot take payments");
    $(el, "button[type=submit]").click();
    await waitUntil(() => went.length, "the browser was not sent to checkout");
    expect(keys()).to.have.length(2);
    expect(keys()[1]).to.equal(keys()[0]);
  });

  it("in French", async () => {
    const el = await join({ [SESSION]: { body: priced() }, [REGISTER]: problem(503, "checkout_failed") }, { locale: "fr" });
    const refused = oneEvent(el, "rollcall-error");
    await register(el);
    await refused;
    await el.updateComplete;
    expect(alert(el)).to.equal("Le paiement n’a pas pu commencer ; rien n’a été débité. Réessayez dans un instant.");
    await submit(el);
    const [first, second] = keys();
    expect(second).to.equal(first);
  });

  it("the held seat was released: says to register again, and the next click registers anew with a new Idempotency-Key", async () => {
    const el = await join({
      [SESSION]: { body: priced() },
      [REGISTER]: [problem(503, "checkout_failed"), problem(409, "hold_released"), pendingAnswer],
    });
    const refused = oneEvent(el, "rollcall-error");
    await register(el);
    await refused;
    await el.updateComplete;
    await submit(el);
    expect(alert(el)).to.equal("Your held seat was released; nothing was charged. Register again.");
    $(el, "button[type=submit]").click();
    await waitUntil(() => went.length, "the browser was not sent to checkout");
    const [first, replayed, anew] = keys();
    expect(replayed).to.equal(first);
    expect(anew).to.be.a("string").and.not.equal(first);
  });

  it("says the held seat was released in French", async () => {
    const el = await join({ [SESSION]: { body: priced() }, [REGISTER]: problem(409, "hold_released") }, { locale: "fr" });
    const refused = oneEvent(el, "rollcall-error");
    await register(el);
    await refused;
    await el.updateComplete;
    expect(alert(el)).to.equal("Votre place réservée a été libérée ; rien n’a été débité. Inscrivez-vous à nouveau.");
  });
});

describe("<rollcall-join> back from checkout", () => {
  it("paid: 'You are attending!' and 'Payment received', the heading focused, the parameter gone from the address", async () => {
    keep();
    const el = await join(
      { [SESSION]: { body: priced() }, [STATUS]: status("confirmed") },
      { search: "?from=news&rollcall_checkout=paid" },
    );
    await waitUntil(() => focused(el), "nothing took the focus");
    expect(focused(el)!.localName).to.equal("h3");
    expect(focused(el)!.textContent).to.equal("You are attending!");
    expect(text(el)).to.contain("Payment received");
    expect($(el, "[part=manage]").textContent).to.equal("Cancel my registration");
    expect(location.search).to.equal("?from=news");
    expect(buttons(el)).not.to.include("Join");
    // Paid: where to pay is forgotten, the token kept for the next visit.
    expect(localStorage.getItem(`${KEY}:checkout`)).to.equal(null);
    expect(localStorage.getItem(KEY)).to.equal(MANAGE);
    await expect(el).to.be.accessible();
  });

  it("on a page whose subject is the session (heading-level 1): the card's title is level 1, what happened level 2", async () => {
    keep();
    history.replaceState(null, "", `${page}?rollcall_checkout=paid`);
    api = mockApi({ [SESSION]: { body: priced() }, [STATUS]: status("confirmed") });
    const el = await fixture<RollcallJoin>(html`<rollcall-join session=${SESSION_ID} api=${API} heading-level="1"></rollcall-join>`);
    await waitUntil(() => focused(el), "nothing took the focus");
    expect($(el, "[part=title]").getAttribute("aria-level")).to.equal("1");
    expect(focused(el)!.localName).to.equal("h3");
    expect(focused(el)!.getAttribute("aria-level")).to.equal("2");
    await expect(el).to.be.accessible();
  });

  it("paid, the payment not yet recorded: asks again, then says it was received", async () => {
    keep();
    const el = await join(
      { [SESSION]: { body: priced() }, [STATUS]: [status("pending_payment"), status("confirmed")] },
      { search: "?rollcall_checkout=paid" },
    );
    expect(text(el)).to.contain("Payment received");
    expect(api.calls.filter((c) => `${c.method} ${c.path}` === STATUS)).to.have.length(2);
  });

  it("still held: until when, what is owed, a button back to checkout and the cancel link", async () => {
    keep();
    const el = await join(
      { [SESSION]: { body: priced() }, [STATUS]: status("pending_payment") },
      { search: "?rollcall_checkout=cancelled" },
    );
    await waitUntil(() => focused(el), "nothing took the focus");
    expect(focused(el)!.textContent).to.equal(`Your seat is held until ${time("en")}.`);
    expect(text(el)).to.contain("You pay €22.50");
    expect($(el, "[part=manage]").textContent).to.equal("Cancel my registration");
    expect($(el, "[part=manage]").getAttribute("href")).to.equal(`${API}/m/${encodeURIComponent(MANAGE)}`);
    expect(buttons(el)).to.deep.equal(["Complete your payment"]);
    $(el, "button").click();
    expect(went).to.deep.equal([CHECKOUT_URL]);
    expect(location.search).to.equal("");
    await expect(el).to.be.accessible();
  });

  it("still held on a later visit without the parameter: the same state, and the focus left where it is", async () => {
    keep();
    const el = await join({ [SESSION]: { body: priced() }, [STATUS]: status("pending_payment") });
    await new Promise((r) => setTimeout(r, 50));
    expect(text(el)).to.contain(`Your seat is held until ${time("en")}.`);
    expect(buttons(el)).to.deep.equal(["Complete your payment"]);
    expect(focused(el)).to.equal(null);
    expect(api.calls.filter((c) => `${c.method} ${c.path}` === STATUS)).to.have.length(1);
  });

  it("abandoned or lapsed: 'Payment not completed', the Join button again, and nothing kept", async () => {
    for (const search of ["?rollcall_checkout=cancelled", ""]) {
      keep();
      const el = await join({ [SESSION]: { body: priced() }, [STATUS]: status("cancelled") }, { search });
      expect(text(el)).to.contain("Payment not completed — the seat was released.");
      expect(buttons(el)).to.deep.equal(["Join"]);
      expect(localStorage.getItem(KEY)).to.equal(null);
      expect(localStorage.getItem(`${KEY}:checkout`)).to.equal(null);
      expect(location.search).to.equal("");
      await expect(el).to.be.accessible();
      api.restore();
      checkout.back = null;
    }
  });

  it("back on a page that kept no token (the session's own page): says how checkout ended, above Join, and asks the API nothing", async () => {
    for (const [search, locale, says] of [
      ["?rollcall_checkout=paid", "en", "Back from checkout: your confirmation email, with your link to cancel, follows the payment."],
      ["?rollcall_checkout=cancelled", "en", "Checkout left: nothing was charged"],
      ["?rollcall_checkout=paid", "fr", "Retour du paiement\u00a0: votre e-mail de confirmation"],
    ] as const) {
      const el = await join({ [SESSION]: { body: priced() } }, { search, locale });
      await waitUntil(() => el.shadowRoot!.querySelector("[part=state] h3"), "nothing was said");
      expect($(el, "[part=state] h3").textContent).to.contain(says);
      expect(buttons(el)).to.deep.equal([locale === "fr" ? "S’inscrire" : "Join"]);
      expect(location.search).to.equal("");
      expect(api.calls.filter((c) => `${c.method} ${c.path}` === STATUS)).to.have.length(0);
      await expect(el).to.be.accessible();
      api.restore();
      checkout.back = null;
    }
  });

  it("in French: the hold's end in French time, what is owed, the payment received", async () => {
    keep();
    let el = await join(
      { [SESSION]: { body: priced() }, [STATUS]: status("pending_payment") },
      { search: "?rollcall_checkout=cancelled", locale: "fr" },
    );
    expect(text(el)).to.contain(`Votre place est réservée jusqu’à ${time("fr")}.`);
    expect(text(el).replace(/\s/g, " ")).to.contain("Vous payez 22,50 €");
    expect(buttons(el)).to.deep.equal(["Finaliser le paiement"]);
    expect($(el, "[part=manage]").textContent).to.equal("Annuler mon inscription");
    api.restore();
    keep();
    el = await join({ [SESSION]: { body: priced() }, [STATUS]: status("confirmed") }, { search: "?rollcall_checkout=paid", locale: "fr" });
    expect(text(el)).to.contain("Vous participez !");
    expect(text(el)).to.contain("Paiement reçu");
    api.restore();
    keep();
    el = await join({ [SESSION]: { body: priced() }, [STATUS]: status("cancelled") }, { locale: "fr" });
    expect(text(el)).to.contain("Paiement non effectué : la place a été libérée.");
  });

  it("takes the parameter out of the address even where this browser kept nothing, and asks the API nothing", async () => {
    await join({ [SESSION]: { body: priced() } }, { search: "?a=1&rollcall_checkout=paid#here" });
    expect(location.search).to.equal("?a=1");
    expect(location.hash).to.equal("#here");
    expect(api.calls.map((c) => c.path)).to.deep.equal([`/v1/public/sessions/${SESSION_ID}`]);
  });
});
