// A returning registrant: <rollcall-join> keeps, on the browser that registered, only the opaque
// manage token the registration's answer gave, and on the next visit shows "You are attending!"
// with the cancel link instead of Join, once the API says the token still holds a registration.
// Also the place, and where the meeting link is.
import { expect, fixture, html, waitUntil } from "@open-wc/testing";
import "../../widget/join/define";
import type { RollcallJoin } from "../../widget/join/join";
import { $, API, mockApi, publicSession, SESSION_ID, text, type } from "./api-mock";

const SESSION = `GET /v1/public/sessions/${SESSION_ID}`;
const REGISTER = `POST /v1/public/sessions/${SESSION_ID}/registrations`;
const KEY = `rollcall:${API}:${SESSION_ID}`;
const MANAGE = "ses_0h4k8m2q9rvt3x7c1a5d.manage-secret";
const STATUS = `GET /v1/manage/${MANAGE}`;

let api: ReturnType<typeof mockApi>;
afterEach(() => {
  api?.restore();
  document.documentElement.lang = "en";
});

async function join(routes: Parameters<typeof mockApi>[0], lang = "en") {
  api = mockApi(routes);
  const el = await fixture<RollcallJoin>(html`<rollcall-join session=${SESSION_ID} api=${API} lang=${lang}></rollcall-join>`);
  await waitUntil(() => el.shadowRoot!.querySelector("h2, [role=alert]"), "the session never showed");
  return el;
}

describe("<rollcall-join> for a returning registrant", () => {
  it("keeps only the registration's opaque token after registering, nothing personal", async () => {
    const el = await join({
      [SESSION]: { body: publicSession() },
      [REGISTER]: {
        status: 201,
        body: {
          registration: { id: "reg_1", name: "Ada Lovelace", email: "ada@example.org", status: "confirmed", waitlistPosition: null },
          manageToken: MANAGE,
        },
      },
    });
    $(el, "button").click();
    await waitUntil(() => el.shadowRoot!.querySelector("form"));
    type($(el, "#name"), "Ada Lovelace");
    type($(el, "#email"), "ada@example.org");
    $(el, "button[type=submit]").click();
    await waitUntil(() => el.shadowRoot!.querySelector("[part=message]"));
    expect(localStorage.getItem(KEY)).to.equal(MANAGE);
    const stored = JSON.stringify({ ...localStorage });
    expect(stored).not.to.contain("Ada");
    expect(stored).not.to.contain("ada@example.org");
  });

  it("shows the cancel link at once after registering, as it shows it on the next visit", async () => {
    const answer = (status: "confirmed" | "waitlisted", waitlistPosition: number | null = null) => ({
      status: 201,
      body: { registration: { id: "reg_1", name: "Ada", email: "ada@example.org", status, waitlistPosition }, manageToken: MANAGE },
    });
    const register = async (el: RollcallJoin) => {
      $(el, "button").click();
      await waitUntil(() => el.shadowRoot!.querySelector("form"));
      type($(el, "#name"), "Ada");
      type($(el, "#email"), "ada@example.org");
      $(el, "button[type=submit]").click();
      await waitUntil(() => el.shadowRoot!.querySelector("[part=message]"));
      await el.updateComplete;
    };
    let el = await join({ [SESSION]: { body: publicSession() }, [REGISTER]: answer("confirmed") });
    await register(el);
    expect(text(el)).to.contain("You are attending! A confirmation is on its way to your inbox.");
    const link = $(el, "[part=message] [part=manage]");
    expect(link.getAttribute("href")).to.equal(`${API}/m/${encodeURIComponent(MANAGE)}`);
    expect(link.textContent).to.equal("Cancel my registration");
    // The API was asked nothing more: the answer said it all.
    expect(api.calls.map((c) => c.method)).to.deep.equal(["GET", "POST"]);
    await expect(el).to.be.accessible();
    api.restore();

    el = await join({ [SESSION]: { body: publicSession({ registrationState: "full" }) }, [REGISTER]: answer("waitlisted", 2) }, "fr");
    await register(el);
    expect(text(el)).to.contain("Vous êtes sur la liste d’attente (position 2).");
    expect($(el, "[part=manage]").textContent).to.equal("Quitter la liste d’attente");
  });

  it("keeps the token and shows the cancel link once a registration is confirmed with the emailed code", async () => {
    const el = await join({
      [SESSION]: { body: publicSession({ confirmByEmail: true }) },
      [REGISTER]: {
        status: 201,
        body: {
          registration: { id: "reg_1", name: "Ada", email: "ada@example.org", status: "pending_confirmation", waitlistPosition: null },
          confirmation: { expiresAt: new Date(Date.now() + 15 * 60_000).toISOString() },
        },
      },
      [`POST /v1/public/sessions/${SESSION_ID}/registrations/reg_1/confirm`]: {
        body: {
          registration: { id: "reg_1", name: "Ada", email: "ada@example.org", status: "confirmed", waitlistPosition: null },
          manageToken: MANAGE,
        },
      },
    });
    $(el, "button").click();
    await waitUntil(() => el.shadowRoot!.querySelector("form"));
    type($(el, "#name"), "Ada");
    type($(el, "#email"), "ada@example.org");
    $(el, "button[type=submit]").click();
    await waitUntil(() => el.shadowRoot!.querySelector("#otp"), "no code field");
    expect(localStorage.getItem(KEY)).to.equal(null);
    type($(el, "#otp"), "042917");
    $(el, "button[type=submit]").click();
    await waitUntil(() => el.shadowRoot!.querySelector("[part=manage]"), "no cancel link");
    expect(text(el)).to.contain("You are attending!");
    expect($(el, "[part=manage]").getAttribute("href")).to.equal(`${API}/m/${encodeURIComponent(MANAGE)}`);
    expect(localStorage.getItem(KEY)).to.equal(MANAGE);
  });

  it("shows 'You are attending!' and the cancel link instead of Join when the kept token still holds a seat", async () => {
    localStorage.setItem(KEY, MANAGE);
    const el = await join({ [SESSION]: { body: publicSession() }, [STATUS]: { body: { status: "confirmed", waitlistPosition: null } } });
    await waitUntil(() => el.shadowRoot!.querySelector("[part=manage]"));
    expect(text(el)).to.contain("You are attending!");
    expect($(el, "[part=manage]").getAttribute("href")).to.equal(`${API}/m/${encodeURIComponent(MANAGE)}`);
    expect($(el, "[part=manage]").textContent).to.equal("Cancel my registration");
    expect([...el.shadowRoot!.querySelectorAll("button")].map((b) => b.textContent!.trim())).not.to.include("Join");
    expect(api.calls.map((c) => `${c.method} ${c.path}`)).to.include(STATUS);
    await expect(el).to.be.accessible();
  });

  it("says it in French, and the waitlist's place with the link to leave it", async () => {
    localStorage.setItem(KEY, MANAGE);
    const el = await join(
      { [SESSION]: { body: publicSession() }, [STATUS]: { body: { status: "waitlisted", waitlistPosition: 3 } } },
      "fr",
    );
    await waitUntil(() => el.shadowRoot!.querySelector("[part=manage]"));
    expect(text(el)).to.contain("Vous êtes sur la liste d’attente (position 3).");
    expect($(el, "[part=manage]").textContent).to.equal("Quitter la liste d’attente");
  });

  it("says 'Vous participez !' in French", async () => {
    localStorage.setItem(KEY, MANAGE);
    const el = await join(
      { [SESSION]: { body: publicSession() }, [STATUS]: { body: { status: "confirmed", waitlistPosition: null } } },
      "fr",
    );
    await waitUntil(() => el.shadowRoot!.querySelector("[part=manage]"));
    expect(text(el)).to.contain("Vous participez !");
    expect($(el, "[part=manage]").textContent).to.equal("Annuler mon inscription");
  });

  it("shows Join again, and forgets the token, once the registration is cancelled or the token unknown", async () => {
    localStorage.setItem(KEY, MANAGE);
    let el = await join({ [SESSION]: { body: publicSession() }, [STATUS]: { body: { status: "cancelled", waitlistPosition: null } } });
    expect($(el, "button").textContent!.trim()).to.equal("Join");
    expect(localStorage.getItem(KEY)).to.equal(null);
    api.restore();
    localStorage.setItem(KEY, MANAGE);
    el = await join({ [SESSION]: { body: publicSession() } }); // unmocked: 404
    expect($(el, "button").textContent!.trim()).to.equal("Join");
    expect(el.shadowRoot!.querySelector("[part=manage]")).to.equal(null);
    expect(localStorage.getItem(KEY)).to.equal(null);
  });

  it("asks nothing of the API when this browser kept no token", async () => {
    await join({ [SESSION]: { body: publicSession() } });
    expect(api.calls.map((c) => c.path)).to.deep.equal([`/v1/public/sessions/${SESSION_ID}`]);
  });
});

describe("<rollcall-join>: where", () => {
  it("shows the place, and after joining says the meeting link is in the confirmation email", async () => {
    const el = await join({
      [SESSION]: { body: publicSession({ location: "Lakeside cabin, 12 Pine Road", online: true }) },
      [REGISTER]: {
        status: 201,
        body: {
          registration: { id: "reg_1", name: "Ada", email: "ada@example.org", status: "confirmed", waitlistPosition: null },
          manageToken: MANAGE,
        },
      },
    });
    expect($(el, "[part=location]").textContent).to.equal("Lakeside cabin, 12 Pine Road");
    $(el, "button").click();
    await waitUntil(() => el.shadowRoot!.querySelector("form"));
    type($(el, "#name"), "Ada");
    type($(el, "#email"), "ada@example.org");
    $(el, "button[type=submit]").click();
    await waitUntil(() => el.shadowRoot!.querySelector("[part=message]"));
    expect(text(el)).to.contain("The meeting link is in your confirmation email.");
  });

  it("shows no place line and no meeting-link sentence for a session without them", async () => {
    const el = await join({ [SESSION]: { body: publicSession() } });
    expect(el.shadowRoot!.querySelector("[part=location]")).to.equal(null);
  });
});
