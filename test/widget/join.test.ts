import { expect, fixture, html, oneEvent, waitUntil } from "@open-wc/testing";
import "../../widget/join/define";
import type { InviteLink, PublicSession } from "../../widget/api/client";
import type { RollcallJoin } from "../../widget/join/join";
import { RollcallElement } from "../../widget/shared/element";
import { $, API, FakeSocket, inviteLink, mockApi, openSockets, problem, publicSession, SESSION_ID, text, type } from "./api-mock";
import { FakeTimers } from "./fake-timers";

const SESSION = `GET /v1/public/sessions/${SESSION_ID}`;
const REGISTER = `POST /v1/public/sessions/${SESSION_ID}/registrations`;
const TOKEN = "sesinv_0h4k8m2q9rvt3x7c1a5d.secret";
const LIVE = `ws://api.test/v1/public/sessions/${SESSION_ID}/live`;

/** Makes the page look hidden (or visible again) and says so, as a browser tab does. */
function setHidden(hidden: boolean) {
  if (hidden) Object.defineProperty(document, "hidden", { configurable: true, get: () => true });
  else delete (document as { hidden?: boolean }).hidden;
  document.dispatchEvent(new Event("visibilitychange"));
}

let api: ReturnType<typeof mockApi>;
afterEach(() => {
  api?.restore();
  document.documentElement.lang = "en";
});

async function join(
  routes: Parameters<typeof mockApi>[0],
  template = html`<rollcall-join session=${SESSION_ID} api=${API}></rollcall-join>`,
) {
  api = mockApi(routes);
  const el = await fixture<RollcallJoin>(template);
  await waitUntil(() => el.shadowRoot!.querySelector("h2, [role=alert]"), "the session never showed");
  return el;
}

async function openForm(el: RollcallJoin) {
  $(el, "button").click();
  await waitUntil(() => el.shadowRoot!.querySelector("form"));
}

async function fill(el: RollcallJoin, fields: Record<string, string>) {
  for (const [name, value] of Object.entries(fields)) type($(el, `#${name}`), value);
}

const buttonIn = (el: RollcallJoin, label: string) =>
  [...el.shadowRoot!.querySelectorAll("button")].find((b) => b.textContent!.trim() === label) as HTMLButtonElement;

const registered = (status: "confirmed" | "waitlisted", waitlistPosition: number | null = null) => ({
  status: 201,
  body: { registration: { id: "reg_1", name: "Ada Lovelace", email: "ada@example.org", status, waitlistPosition }, manageToken: "m" },
});

describe("<rollcall-join>", () => {
  it("shows the title, the date in the visitor's zone with the session's zone named, the seats left and Join", async () => {
    const el = await join({ [SESSION]: { body: publicSession() } });
    expect($(el, "[part=title]").textContent).to.equal("Forest camp — week 1");
    expect($(el, "time").getAttribute("datetime")).to.equal("2027-07-05T07:00:00Z");
    expect($(el, "[part=when]").textContent).to.contain("2027");
    expect($(el, "[part=zone]").textContent).to.contain("Europe/Paris");
    expect($(el, "[part=seats]").textContent).to.equal("12 seats left");
    expect($(el, "button").textContent!.trim()).to.equal("Join");
    await expect(el).to.be.accessible();
  });

  it("titles the card at the page's level: an h2 by default, heading-level 1 to 6 otherwise, anything else as 2", async () => {
    const level = async (attribute: string | null) => {
      api?.restore();
      const el = await join(
        { [SESSION]: { body: publicSession() } },
        attribute === null
          ? html`<rollcall-join session=${SESSION_ID} api=${API}></rollcall-join>`
          : html`<rollcall-join session=${SESSION_ID} api=${API} heading-level=${attribute}></rollcall-join>`,
      );
      const title = $(el, "[part=title]");
      expect(title.localName).to.equal("h2");
      return title.getAttribute("aria-level");
    };
    expect(await level(null)).to.equal(null);
    expect(await level("1")).to.equal("1");
    expect(await level("4")).to.equal("4");
    expect(await level("2")).to.equal(null);
    expect(await level("9")).to.equal(null);
    expect(await level("one")).to.equal(null);
  });

  it("shows a priced session's price in the visitor's language, and no price for a free one", async () => {
    const priced = publicSession({ price: { amount: 2500, currency: "EUR" } });
    const el = await join({ [SESSION]: { body: priced } });
    expect($(el, "[part=price]").textContent).to.equal("€25.00");
    await expect(el).to.be.accessible();
    api.restore();
    const fr = await join(
      { [SESSION]: { body: priced } },
      html`<rollcall-join session=${SESSION_ID} api=${API} locale="fr"></rollcall-join>`,
    );
    expect($(fr, "[part=price]").textContent!.replace(/\s/g, " ")).to.equal("25,00 €");
    api.restore();
    const yen = await join({ [SESSION]: { body: publicSession({ price: { amount: 2500, currency: "JPY" } }) } });
    expect($(yen, "[part=price]").textContent).to.equal("¥2,500");
    api.restore();
    const free = await join({ [SESSION]: { body: publicSession() } });
    expect(free.shadowRoot!.querySelector("[part=price]")).to.equal(null);
  });

  it("says how many more the session needs to run before its minimum is decided, and nothing once it is met", async () => {
    const states = (el: RollcallJoin) => [...el.shadowRoot!.querySelectorAll("[part=state]")].map((p) => p.textContent);
    const el = await join({ [SESSION]: { body: publicSession({ minParticipants: 11, moreNeeded: 3 }) } });
    expect(states(el)).to.deep.equal(["3 more needed for this to run."]);
    expect($(el, "[part=seats]").textContent).to.equal("12 seats left");
    await expect(el).to.be.accessible();
    api.restore();
    const met = await join({ [SESSION]: { body: publicSession({ minParticipants: 8, moreNeeded: 0 }) } });
    expect(states(met)).to.deep.equal([]);
    api.restore();
    const fr = (n: number) =>
      join(
        { [SESSION]: { body: publicSession({ moreNeeded: n }) } },
        html`<rollcall-join session=${SESSION_ID} api=${API} locale="fr"></rollcall-join>`,
      );
    expect(states(await fr(1))).to.deep.equal(["Il manque 1 participant pour que la séance ait lieu."]);
    api.restore();
    expect(states(await fr(2))).to.deep.equal(["Il manque 2 participants pour que la séance ait lieu."]);
  });

  it("says when registration opens, with no Join button", async () => {
    const el = await join({
      [SESSION]: { body: publicSession({ registrationState: "not_yet_open", registrationOpensAt: "2027-06-01T08:00:00Z" }) },
    });
    expect($(el, "[part=state]").textContent).to.match(/^Registration opens on .*2027/);
    expect(el.shadowRoot!.querySelector("button")).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it("offers the waitlist when the session is full and the waitlist is open", async () => {
    const el = await join({
      [SESSION]: { body: publicSession({ registrationState: "full", seats: { capacity: 20, available: 0, waitlisted: 2, confirmed: 0 } }) },
    });
    expect($(el, "[part=state]").textContent).to.equal("The session is full. The waitlist is open.");
    expect($(el, "button").textContent!.trim()).to.equal("Join the waitlist");
    await expect(el).to.be.accessible();
  });

  for (const [state, overrides, message] of [
    ["full without a waitlist", { registrationState: "full", waitlist: false }, "The session is full."],
    ["closed", { registrationState: "closed" }, "Registration is closed."],
    ["cancelled", { registrationState: "cancelled", status: "cancelled" }, "This session is cancelled."],
  ] as const) {
    it(`says the session is ${state}, with no button`, async () => {
      const el = await join({ [SESSION]: { body: publicSession(overrides) } });
      expect($(el, "[part=state]").textContent).to.equal(message);
      expect(el.shadowRoot!.querySelector("button")).to.equal(null);
      await expect(el).to.be.accessible();
    });
  }

  it("says so, and fires rollcall-error, when the session does not exist", async () => {
    api = mockApi({ [SESSION]: problem(404, "not_found") });
    const el = document.createElement("rollcall-join");
    el.setAttribute("api", API);
    el.setAttribute("session", SESSION_ID);
    const failed = oneEvent(document.body, "rollcall-error");
    document.body.append(el);
    const event = await failed;
    expect(event.detail).to.deep.equal({ code: "not_found", detail: "detail of not_found" });
    await waitUntil(() => el.shadowRoot!.querySelector("[role=alert]"));
    expect($(el, "[role=alert]").textContent).to.equal("This session could not be found.");
    await expect(el).to.be.accessible();
    el.remove();
  });

  it("says the session cannot be found, rather than loading forever, when it has neither session nor invite", async () => {
    api = mockApi({});
    const el = await fixture<RollcallJoin>(html`<rollcall-join></rollcall-join>`);
    await waitUntil(() => el.shadowRoot!.querySelector("[role=alert]"));
    expect($(el, "[role=alert]").textContent).to.equal("No session was found. Check the element’s session attribute.");
  });

  it("opens a form on Join, focused on the name, with inline errors announced and tied to their fields", async () => {
    const el = await join({ [SESSION]: { body: publicSession() } });
    await openForm(el);
    expect(el.shadowRoot!.activeElement?.id).to.equal("name");
    await expect(el).to.be.accessible();
    type($(el, "#email"), "ada@example");
    $(el, "button[type=submit]").click();
    await el.updateComplete;
    const name = $(el, "#name");
    expect(name.getAttribute("aria-invalid")).to.equal("true");
    expect(name.getAttribute("aria-describedby")).to.equal("name-error");
    expect($(el, "#name-error").textContent).to.equal("Required.");
    expect($(el, "#name-error").getAttribute("aria-live")).to.equal("polite");
    expect($(el, "#email-error").textContent).to.equal("The part after the @ is not a valid domain.");
    expect(el.shadowRoot!.activeElement?.id).to.equal("name");
    expect(api.calls.filter((c) => c.method === "POST")).to.have.length(0);
    await expect(el).to.be.accessible();
  });

  it("registers with an Idempotency-Key, says 'You are attending!' and fires rollcall-registered", async () => {
    const el = await join({ [SESSION]: { body: publicSession() }, [REGISTER]: registered("confirmed") });
    await openForm(el);
    await fill(el, { name: "Ada Lovelace", email: "ada@example.org" });
    const event = oneEvent(el, "rollcall-registered");
    $(el, "button[type=submit]").click();
    const { detail } = await event;
    expect(detail.registration).to.deep.include({ id: "reg_1", status: "confirmed" });
    const post = api.calls.find((c) => c.method === "POST")!;
    expect(post.body).to.deep.equal({ name: "Ada Lovelace", email: "ada@example.org", locale: "en" });
    expect(post.headers["idempotency-key"]).to.match(/^[0-9a-f-]{32,36}$/);
    await el.updateComplete;
    expect($(el, "[part=message]").textContent).to.contain("You are attending!");
    expect(el.shadowRoot!.activeElement).to.equal($(el, "[part=message]"));
    await expect(el).to.be.accessible();
  });

  it("says the waitlist position when the registration is waitlisted", async () => {
    const el = await join({
      [SESSION]: { body: publicSession({ registrationState: "full" }) },
      [REGISTER]: registered("waitlisted", 3),
    });
    await openForm(el);
    await fill(el, { name: "Ada Lovelace", email: "ada@example.org" });
    $(el, "button[type=submit]").click();
    await oneEvent(el, "rollcall-registered");
    await el.updateComplete;
    expect($(el, "[part=message]").textContent).to.contain("You are on the waitlist (position 3).");
  });

  it("reuses the Idempotency-Key when retrying after a network failure, and takes a new one after an edit", async () => {
    const el = await join({
      [SESSION]: { body: publicSession() },
      [REGISTER]: [problem(503, "unavailable"), problem(503, "unavailable"), registered("confirmed")],
    });
    await openForm(el);
    await fill(el, { name: "Ada Lovelace", email: "ada@example.org" });
    const submit = async () => {
      const failed = oneEvent(el, "rollcall-error");
      $(el, "button[type=submit]").click();
      await failed;
      await el.updateComplete;
    };
    await submit();
    expect($(el, "form [role=alert]").textContent).to.not.equal("");
    await submit();
    const keys = api.calls.filter((c) => c.method === "POST").map((c) => c.headers["idempotency-key"]);
    expect(keys).to.have.length(2);
    expect(keys[0]).to.equal(keys[1]);
    await fill(el, { name: "Ada King" });
    $(el, "button[type=submit]").click();
    await oneEvent(el, "rollcall-registered");
    const third = api.calls.filter((c) => c.method === "POST")[2]!.headers["idempotency-key"];
    expect(third).to.not.equal(keys[0]);
  });

  it("puts the API's refusal next to the field it concerns and fires rollcall-error with its code", async () => {
    const el = await join({ [SESSION]: { body: publicSession() }, [REGISTER]: problem(409, "already_registered") });
    await openForm(el);
    await fill(el, { name: "Ada Lovelace", email: "ada@example.org" });
    const failed = oneEvent(el, "rollcall-error");
    $(el, "button[type=submit]").click();
    expect((await failed).detail.code).to.equal("already_registered");
    await el.updateComplete;
    expect($(el, "#email-error").textContent).to.equal("This email is already registered for the session.");
    expect($(el, "#email").getAttribute("aria-invalid")).to.equal("true");
    await expect(el).to.be.accessible();
  });

  it("offers someone told 'already registered' to email that address its manage link, and says the same whatever the answer", async () => {
    const el = await join({
      [SESSION]: { body: publicSession() },
      [REGISTER]: problem(409, "already_registered"),
      [`POST /v1/public/sessions/${SESSION_ID}/manage-link`]: { body: { accepted: true } },
    });
    await openForm(el);
    await fill(el, { name: "Ada Lovelace", email: "ada@example.org" });
    $(el, "button[type=submit]").click();
    await waitUntil(() => buttonIn(el, "Email me the link"), "no offer to email the link");
    expect(text(el)).to.contain("Lost your confirmation?");
    await expect(el).to.be.accessible();
    buttonIn(el, "Email me the link").click();
    await waitUntil(() => el.shadowRoot!.querySelector("[part=message][role=status]"), "no word after the request");
    expect(api.calls.at(-1)).to.deep.include({ method: "POST", body: { email: "ada@example.org" } });
    expect($(el, "[part=message]").textContent).to.equal(
      "If this address is registered for the session, the link to manage the registration is on its way to it.",
    );
    expect(buttonIn(el, "Email me the link")).to.equal(undefined);
    await expect(el).to.be.accessible();
  });

  it("asks for the registration code when the session requires one", async () => {
    const el = await join({
      [SESSION]: { body: publicSession({ registrationCodeRequired: true }) },
      [REGISTER]: problem(403, "invalid_code"),
    });
    await openForm(el);
    await fill(el, { name: "Ada Lovelace", email: "ada@example.org" });
    $(el, "button[type=submit]").click();
    await el.updateComplete;
    expect($(el, "#code-error").textContent).to.equal("Required.");
    type($(el, "#code"), "WRONG");
    $(el, "button[type=submit]").click();
    await oneEvent(el, "rollcall-error");
    await el.updateComplete;
    expect(api.calls.at(-1)!.body).to.deep.include({ code: "WRONG" });
    expect($(el, "#code-error").textContent).to.equal("This code is not valid.");
  });

  it("follows the live channel: seats and state change with each pushed message, without polling", async () => {
    const el = await join({ [SESSION]: { body: publicSession() } });
    await waitUntil(() => openSockets().length === 1, "no live channel");
    const [socket] = openSockets();
    expect(socket!.url).to.equal(LIVE);
    socket!.push(publicSession({ seats: { capacity: 20, available: 3, waitlisted: 0, confirmed: 0 } }));
    await waitUntil(() => $(el, "[part=seats]").textContent === "3 seats left", "the count did not change");
    socket!.push(publicSession({ registrationState: "full", seats: { capacity: 20, available: 0, waitlisted: 0, confirmed: 0 } }));
    await waitUntil(() => el.shadowRoot!.querySelector("[part=state]")?.textContent === "The session is full. The waitlist is open.");
    expect($(el, "button").textContent!.trim()).to.equal("Join the waitlist");
    expect(api.calls).to.have.length(1);
  });

  it("reconnects after a drop, not while the page is hidden, and closes the socket when removed", async () => {
    const clock = new FakeTimers();
    RollcallElement.timers = clock;
    try {
      const el = await join({ [SESSION]: { body: publicSession() } });
      await waitUntil(() => openSockets().length === 1);
      openSockets()[0]!.drop();
      expect(openSockets()).to.have.length(0);
      clock.tick(1_000);
      expect(openSockets(), "no reconnection").to.have.length(1);
      expect(FakeSocket.all).to.have.length(2);
      try {
        setHidden(true);
        openSockets()[0]!.drop();
        clock.tick(60_000);
        expect(openSockets()).to.have.length(0);
      } finally {
        setHidden(false);
      }
      expect(openSockets()).to.have.length(1);
      el.remove();
      expect(openSockets()).to.have.length(0);
      expect(clock.pending).to.equal(0);
      clock.tick(60_000);
      expect(FakeSocket.all).to.have.length(3);
    } finally {
      RollcallElement.timers = globalThis;
    }
  });

  it("speaks French with locale=fr, and follows the page's lang", async () => {
    const el = await join(
      { [SESSION]: { body: publicSession() } },
      html`<rollcall-join session=${SESSION_ID} api=${API} locale="fr"></rollcall-join>`,
    );
    expect($(el, "[part=seats]").textContent).to.equal("12 places restantes");
    expect($(el, "button").textContent!.trim()).to.equal("S’inscrire");
    expect($(el, "[part=when]").textContent).to.contain("juillet");
    el.removeAttribute("locale");
    document.documentElement.lang = "fr-CA";
    await waitUntil(() => $(el, "button").textContent!.trim() === "S’inscrire");
    document.documentElement.lang = "en";
    await waitUntil(() => $(el, "button").textContent!.trim() === "Join");
  });

  it("writes the first of a month 1er in French", async () => {
    const first = { ...publicSession(), startsAt: "2027-07-01T07:00:00Z", endsAt: "2027-07-01T10:00:00Z" };
    const el = await join(
      { [SESSION]: { body: first } },
      html`<rollcall-join session=${SESSION_ID} api=${API} locale="fr"></rollcall-join>`,
    );
    expect($(el, "[part=when]").textContent).to.match(/jeudi 1er juillet 2027/);
  });

  it("writes the session's local hour in two digits in French, as its dates do", async () => {
    // A zone no test machine runs in (+12:45): 20:15 UTC is 09:00 the next morning there.
    const far = { ...publicSession(), timeZone: "Pacific/Chatham", startsAt: "2027-07-04T20:15:00Z", endsAt: "2027-07-04T23:15:00Z" };
    const el = await join({ [SESSION]: { body: far } }, html`<rollcall-join session=${SESSION_ID} api=${API} locale="fr"></rollcall-join>`);
    expect($(el, "[part=zone]").textContent).to.contain("Heure de la séance\u00a0: 09:00 (Pacific/Chatham).");
  });

  it("takes its colours from --rollcall-* custom properties", async () => {
    const el = await join({ [SESSION]: { body: publicSession() } });
    el.style.setProperty("--rollcall-accent", "rgb(200, 0, 100)");
    el.style.setProperty("--rollcall-radius", "0px");
    const button = $(el, "button");
    expect(getComputedStyle(button).backgroundColor).to.equal("rgb(200, 0, 100)");
    expect(getComputedStyle($(el, "[part=base]")).borderTopLeftRadius).to.equal("0px");
  });
});

describe("<rollcall-join> in a session that confirms registrations by email", () => {
  const CONFIRM = `POST /v1/public/sessions/${SESSION_ID}/registrations/reg_1/confirm`;
  const expiresAt = () => new Date(Date.now() + 15 * 60_000).toISOString();
  const pending = () => ({
    status: 201,
    body: {
      registration: { id: "reg_1", name: "Ada Lovelace", email: "ada@example.org", status: "pending_confirmation", waitlistPosition: null },
      confirmation: { expiresAt: expiresAt() },
    },
  });
  const confirmed = { status: 200, body: registered("confirmed").body };

  async function registerPending(routes: Parameters<typeof mockApi>[0] = {}, template?: ReturnType<typeof html>) {
    const el = await join({ [SESSION]: { body: publicSession({ confirmByEmail: true }) }, [REGISTER]: pending(), ...routes }, template);
    await openForm(el);
    await fill(el, { name: "Ada Lovelace", email: "ada@example.org" });
    $(el, "button[type=submit]").click();
    await waitUntil(() => el.shadowRoot!.querySelector("#otp"), "no code field");
    return el;
  }

  const enterCode = async (el: RollcallJoin, code: string) => {
    type($(el, "#otp"), code);
    buttonIn(el, "Confirm").click();
  };

  it("says to check the email, with a field for the emailed code, and fires nothing yet", async () => {
    let fired = false;
    document.addEventListener("rollcall-registered", () => (fired = true), { once: true });
    const el = await registerPending();
    expect($(el, "[part=message]").textContent).to.contain("Check your email");
    expect($(el, "[part=message]").textContent).to.match(/We sent a link and a code to ada@example\.org\. Your place is held until .+\./);
    expect(el.shadowRoot!.activeElement).to.equal($(el, "[part=message]"));
    expect($(el, "#otp").getAttribute("autocomplete")).to.equal("one-time-code");
    expect(fired).to.equal(false);
    await expect(el).to.be.accessible();
  });

  it("confirms with the emailed code, then says 'You are attending!' and fires rollcall-registered", async () => {
    const el = await registerPending({ [CONFIRM]: confirmed });
    const event = oneEvent(el, "rollcall-registered");
    await enterCode(el, "042917");
    expect((await event).detail.registration).to.deep.include({ id: "reg_1", status: "confirmed" });
    expect(api.calls.at(-1)!.body).to.deep.equal({ code: "042917" });
    await el.updateComplete;
    expect($(el, "[part=message]").textContent).to.contain("You are attending!");
    await expect(el).to.be.accessible();
  });

  it("asks for six digits without calling the API, and puts a wrong code next to its field", async () => {
    const el = await registerPending({ [CONFIRM]: problem(403, "invalid_verification_code", { attemptsLeft: 4 }) });
    await enterCode(el, "12");
    await el.updateComplete;
    expect($(el, "#otp-error").textContent).to.equal("Enter the six digits from the email.");
    expect(api.calls.filter((c) => c.path.endsWith("/confirm"))).to.have.length(0);
    const failed = oneEvent(el, "rollcall-error");
    await enterCode(el, "111111");
    expect((await failed).detail.code).to.equal("invalid_verification_code");
    await waitUntil(() => $(el, "#otp-error").textContent === "That code is not the one we sent.");
    expect($(el, "#otp").getAttribute("aria-invalid")).to.equal("true");
    expect(el.shadowRoot!.activeElement?.id).to.equal("otp");
    await expect(el).to.be.accessible();
  });

  it("says to use the link once the code was tried too often", async () => {
    const el = await registerPending({ [CONFIRM]: problem(410, "verification_code_expired") });
    await enterCode(el, "111111");
    await waitUntil(() => $(el, "#otp-error").textContent === "Too many wrong codes: use the link in the email instead.");
  });

  it("says when the hold lapsed, and offers to register again", async () => {
    const clock = new FakeTimers();
    RollcallElement.timers = clock;
    try {
      const el = await registerPending();
      clock.tick(14 * 60_000);
      await el.updateComplete;
      expect(el.shadowRoot!.querySelector("#otp")).to.not.equal(null);
      clock.tick(61_000);
      await el.updateComplete;
      expect($(el, "[part=state]").textContent).to.equal("Your place was not confirmed in time, so it went back to others.");
      await expect(el).to.be.accessible();
      buttonIn(el, "Register again").click();
      await waitUntil(() => el.shadowRoot!.querySelector("form #name"), "the form did not open again");
    } finally {
      RollcallElement.timers = globalThis;
    }
  });

  it("says the hold lapsed when the API says so", async () => {
    const el = await registerPending({ [CONFIRM]: problem(410, "confirmation_expired") });
    await enterCode(el, "042917");
    await waitUntil(() => el.shadowRoot!.querySelector("[part=state]"));
    expect(buttonIn(el, "Register again")).to.not.equal(undefined);
  });

  it("speaks French", async () => {
    const el = await registerPending({}, html`<rollcall-join session=${SESSION_ID} api=${API} locale="fr"></rollcall-join>`);
    expect($(el, "[part=message]").textContent).to.contain("Consultez vos e-mails");
    expect(buttonIn(el, "Confirmer")).to.not.equal(undefined);
  });
});

describe("<rollcall-join> with an invitation", () => {
  const link = (invitation: Partial<InviteLink["invitation"]> = {}, session: Partial<PublicSession> = {}) =>
    inviteLink({ discountCode: "CAMP10", ...invitation }, session);

  const invited = (routes: Parameters<typeof mockApi>[0]) => join(routes, html`<rollcall-join api=${API} invite=${TOKEN}></rollcall-join>`);

  it("shows the reserved seat and the discount, with Accept and Decline", async () => {
    const el = await invited({ [`GET /v1/invites/${TOKEN}`]: link() });
    expect($(el, "[part=invitation]").textContent).to.contain("You are invited");
    // In the session's zone, named, whatever the reader's: 10:00 UTC is noon in Paris in June.
    expect($(el, "[part=invitation]").textContent).to.match(
      /Your seat is reserved until June 20, 2027(,| at) 12:00\sPM \(Europe\/Paris\)\./,
    );
    expect($(el, "[part=invitation]").textContent).to.contain("Discount code: CAMP10");
    const buttons = [...el.shadowRoot!.querySelectorAll("button")].map((b) => b.textContent!.trim());
    expect(buttons).to.deep.equal(["Accept", "Decline"]);
    await expect(el).to.be.accessible();
  });

  it("says what the discount code makes the seat cost in a priced session, free when it takes it all, in French too", async () => {
    const price = { amount: 2500, currency: "EUR" };
    const el = await invited({ [`GET /v1/invites/${TOKEN}`]: link({ toPay: { amount: 2250, currency: "EUR" } }, { price }) });
    expect($(el, "[part=invitation]").textContent).to.contain("Discount code CAMP10: you pay €22.50 instead of €25.00.");
    const free = await invited({ [`GET /v1/invites/${TOKEN}`]: link({ toPay: { amount: 0, currency: "EUR" } }, { price }) });
    expect($(free, "[part=invitation]").textContent).to.contain("Discount code CAMP10: the session is free for you.");
    // A code that takes nothing off today (expired since): only its name, accepting says why.
    const spent = await invited({ [`GET /v1/invites/${TOKEN}`]: link({ toPay: price }, { price }) });
    expect($(spent, "[part=invitation]").textContent).to.contain("Discount code: CAMP10");
    const fr = await join(
      { [`GET /v1/invites/${TOKEN}`]: link({ toPay: { amount: 2250, currency: "EUR" } }, { price }) },
      html`<rollcall-join api=${API} invite=${TOKEN} locale="fr"></rollcall-join>`,
    );
    await waitUntil(() => $(fr, "[part=invitation]").textContent!.includes("Code"), "the French invitation never showed");
    expect($(fr, "[part=invitation]").textContent).to.match(/Code de réduction CAMP10\u00a0: vous payez 22,50\s€ au lieu de 25,00\s€\./);
  });

  it("accepts with the name and email typed, and fires rollcall-registered", async () => {
    const el = await invited({ [`GET /v1/invites/${TOKEN}`]: link(), [`POST /v1/invites/${TOKEN}/accept`]: registered("confirmed") });
    await openForm(el);
    expect(($(el, "#name") as HTMLInputElement).value).to.equal("Ada Lovelace");
    expect($(el, "#email-hint").textContent).to.contain("a•••@example.org");
    // The invitation knows the address: typing it is optional here, and not marked required.
    expect($(el, "#name").getAttribute("aria-required")).to.equal("true");
    expect($(el, "#email").getAttribute("aria-required")).to.not.equal("true");
    expect($(el, "label[for=email]").textContent).to.not.contain("*");
    await expect(el).to.be.accessible();
    type($(el, "#email"), "ada@example.org");
    const event = oneEvent(el, "rollcall-registered");
    $(el, "button[type=submit]").click();
    expect((await event).detail.registration.id).to.equal("reg_1");
    expect(api.calls.at(-1)!.body).to.deep.equal({ name: "Ada Lovelace", email: "ada@example.org", locale: "en" });
    await el.updateComplete;
    expect(text(el)).to.contain("You are attending!");
  });

  it("asks before declining, then declines, says so and fires rollcall-declined", async () => {
    const el = await invited({
      [`GET /v1/invites/${TOKEN}`]: [link(), link({ status: "declined", reopenable: true })],
      [`POST /v1/invites/${TOKEN}/decline`]: { body: { status: "declined" } },
    });
    buttonIn(el, "Decline").click();
    await el.updateComplete;
    expect(text(el)).to.contain("Decline the invitation? The seat reserved for you will go to someone else.");
    expect(api.calls.filter((c) => c.method === "POST")).to.have.length(0);
    await expect(el).to.be.accessible();
    // Back: nothing was declined.
    buttonIn(el, "Back").click();
    await el.updateComplete;
    expect([...el.shadowRoot!.querySelectorAll("button")].map((b) => b.textContent!.trim())).to.deep.equal(["Accept", "Decline"]);
    buttonIn(el, "Decline").click();
    await el.updateComplete;
    const event = oneEvent(el, "rollcall-declined");
    buttonIn(el, "Yes, decline").click();
    await event;
    await el.updateComplete;
    expect($(el, "[part=message]").textContent).to.equal("You declined the invitation.");
    expect(buttonIn(el, "Re-open the invitation")).to.not.equal(undefined);
    await expect(el).to.be.accessible();
  });

  it("re-opens a declined invitation from the same link, and shows the invitation again", async () => {
    const el = await invited({
      [`GET /v1/invites/${TOKEN}`]: link({ status: "declined", reopenable: true }),
      [`POST /v1/invites/${TOKEN}/reopen`]: link({ status: "sent" }),
    });
    expect($(el, "[part=message]").textContent).to.equal("You declined the invitation.");
    expect(text(el)).to.contain("Changed your mind?");
    buttonIn(el, "Re-open the invitation").click();
    await waitUntil(() => el.shadowRoot!.querySelector("[part=invitation]"), "the invitation never came back");
    expect(api.calls.at(-1)).to.deep.include({ method: "POST", path: `/v1/invites/${TOKEN}/reopen` });
    expect([...el.shadowRoot!.querySelectorAll("button")].map((b) => b.textContent!.trim())).to.deep.equal(["Accept", "Decline"]);
  });

  it("offers no way back when a declined invitation cannot be re-opened", async () => {
    const el = await invited({ [`GET /v1/invites/${TOKEN}`]: link({ status: "declined", reopenable: false }) });
    expect($(el, "[part=message]").textContent).to.equal("You declined the invitation.");
    expect(el.shadowRoot!.querySelector("button")).to.equal(null);
  });

  it("says before Accept that accepting an invitation without a seat on a full session means the waitlist", async () => {
    const el = await invited({
      [`GET /v1/invites/${TOKEN}`]: link(
        { holdSeat: false },
        { registrationState: "full", seats: { capacity: 20, available: 0, waitlisted: 3, confirmed: 0 } },
      ),
      [`POST /v1/invites/${TOKEN}/accept`]: registered("waitlisted", 4),
    });
    expect($(el, "[part=state]").textContent).to.equal("The session is full: accepting puts you on the waitlist.");
    expect([...el.shadowRoot!.querySelectorAll("button")].map((b) => b.textContent!.trim())).to.deep.equal([
      "Join the waitlist",
      "Decline",
    ]);
    await openForm(el);
    expect($(el, "button[type=submit]").textContent!.trim()).to.equal("Join the waitlist");
    await expect(el).to.be.accessible();
  });

  it("offers no Accept for an invitation without a seat on a full session without a waitlist", async () => {
    const el = await invited({
      [`GET /v1/invites/${TOKEN}`]: link(
        { holdSeat: false },
        { registrationState: "full", waitlist: false, seats: { capacity: 20, available: 0, waitlisted: 0, confirmed: 0 } },
      ),
    });
    expect($(el, "[part=state]").textContent).to.equal("The session is full.");
    expect([...el.shadowRoot!.querySelectorAll("button")].map((b) => b.textContent!.trim())).to.deep.equal(["Decline"]);
  });

  it("says a seat-holding invitation is still a seat, full session or not", async () => {
    const el = await invited({
      [`GET /v1/invites/${TOKEN}`]: link(
        {},
        { registrationState: "full", seats: { capacity: 20, available: 0, waitlisted: 3, confirmed: 0 } },
      ),
    });
    expect(el.shadowRoot!.querySelector("[part=state]")).to.equal(null);
    expect([...el.shadowRoot!.querySelectorAll("button")].map((b) => b.textContent!.trim())).to.deep.equal(["Accept", "Decline"]);
  });

  it("asks for a one-time code when the invitation requires the invited address", async () => {
    const el = await invited({
      [`GET /v1/invites/${TOKEN}`]: link({ requireEmailMatch: true }),
      [`POST /v1/invites/${TOKEN}/code`]: { body: { channel: "email", sentTo: "a•••@example.org", expiresAt: "2027-06-20T10:15:00Z" } },
      [`POST /v1/invites/${TOKEN}/accept`]: [problem(403, "invalid_verification_code"), registered("confirmed")],
    });
    await openForm(el);
    expect(el.shadowRoot!.querySelector("#email")).to.equal(null);
    expect($(el, "button[type=submit]").textContent).to.equal("Send me a code");
    $(el, "button[type=submit]").click();
    await waitUntil(() => el.shadowRoot!.querySelector("#otp"));
    expect(api.calls.at(-1)!.path).to.equal(`/v1/invites/${TOKEN}/code`);
    expect(el.shadowRoot!.activeElement?.id).to.equal("otp");
    expect($(el, "#otp").getAttribute("aria-required")).to.equal("true");
    expect($(el, "label[for=otp]").textContent).to.equal("One-time code *");
    await expect(el).to.be.accessible();
    type($(el, "#otp"), "12345");
    $(el, "button[type=submit]").click();
    await el.updateComplete;
    expect($(el, "#otp-error").textContent).to.equal("Enter the six digits from the email.");
    type($(el, "#otp"), "123456");
    $(el, "button[type=submit]").click();
    await oneEvent(el, "rollcall-error");
    await el.updateComplete;
    expect($(el, "#otp-error").textContent).to.equal("That code is not the one we sent.");
    $(el, "button[type=submit]").click();
    await oneEvent(el, "rollcall-registered");
    expect(api.calls.at(-1)!.body).to.deep.equal({ name: "Ada Lovelace", code: "123456", locale: "en" });
  });

  it("says the code was texted, to which masked number, and that its six digits came by text, when it went by SMS (English and French)", async () => {
    const answer = { body: { channel: "sms", sentTo: "+33 •• •• •• 12", expiresAt: "2027-06-20T10:15:00Z" } };
    const el = await invited({
      [`GET /v1/invites/${TOKEN}`]: link({ requireEmailMatch: true }),
      [`POST /v1/invites/${TOKEN}/code`]: answer,
    });
    buttonIn(el, "Decline").click();
    await el.updateComplete;
    buttonIn(el, "Yes, decline").click();
    await waitUntil(() => el.shadowRoot!.querySelector("#otp"), "no code field");
    expect($(el, "#otp-hint").textContent).to.equal("We texted a code to +33 •• •• •• 12.");
    // A wrong format names the text message the code came in, not an email.
    type($(el, "#otp"), "12");
    buttonIn(el, "Yes, decline").click();
    await el.updateComplete;
    expect($(el, "#otp-error").textContent).to.equal("Enter the six digits from the text message.");
    api.restore();
    const fr = await join(
      { [`GET /v1/invites/${TOKEN}`]: link({ requireEmailMatch: true }), [`POST /v1/invites/${TOKEN}/code`]: answer },
      html`<rollcall-join api=${API} invite=${TOKEN} locale="fr"></rollcall-join>`,
    );
    buttonIn(fr, "Refuser").click();
    await fr.updateComplete;
    buttonIn(fr, "Oui, refuser").click();
    await waitUntil(() => fr.shadowRoot!.querySelector("#otp"), "no code field");
    expect($(fr, "#otp-hint").textContent).to.equal("Nous vous avons envoyé un code par SMS au +33 •• •• •• 12.");
    type($(fr, "#otp"), "12");
    buttonIn(fr, "Oui, refuser").click();
    await fr.updateComplete;
    expect($(fr, "#otp-error").textContent).to.equal("Saisissez les six chiffres reçus par SMS.");
  });

  it("asks for the one-time code before declining when the invitation requires the invited address", async () => {
    const el = await invited({
      [`GET /v1/invites/${TOKEN}`]: link({ requireEmailMatch: true }),
      [`POST /v1/invites/${TOKEN}/code`]: { body: { channel: "email", sentTo: "a•••@example.org", expiresAt: "2027-06-20T10:15:00Z" } },
      [`POST /v1/invites/${TOKEN}/decline`]: [problem(403, "invalid_verification_code"), { body: { status: "declined" } }],
    });
    buttonIn(el, "Decline").click();
    await el.updateComplete;
    const decline = () => buttonIn(el, "Yes, decline").click();
    decline();
    await waitUntil(() => el.shadowRoot!.querySelector("#otp"), "no code field");
    expect(api.calls.at(-1)!.path).to.equal(`/v1/invites/${TOKEN}/code`);
    expect($(el, "#otp-hint").textContent).to.equal("We emailed a code to a•••@example.org.");
    expect(el.shadowRoot!.activeElement?.id).to.equal("otp");
    await expect(el).to.be.accessible();
    decline();
    await el.updateComplete;
    expect($(el, "#otp-error").textContent).to.equal("Enter the six digits from the email.");
    expect(api.calls.filter((c) => c.path.endsWith("/decline"))).to.have.length(0);
    type($(el, "#otp"), "123456");
    decline();
    await oneEvent(el, "rollcall-error");
    await el.updateComplete;
    expect($(el, "#otp-error").textContent).to.equal("That code is not the one we sent.");
    const declined = oneEvent(el, "rollcall-declined");
    decline();
    await declined;
    // The decline, then a fresh read of the link (whether it may be re-opened).
    expect(api.calls.at(-2)).to.deep.include({ path: `/v1/invites/${TOKEN}/decline`, body: { code: "123456" } });
    expect(api.calls.at(-1)).to.deep.include({ method: "GET", path: `/v1/invites/${TOKEN}` });
    await el.updateComplete;
    expect($(el, "[part=message]").textContent).to.equal("You declined the invitation.");
  });

  it("reads the token from ?rollcall_invite= in the page URL", async () => {
    const before = location.href;
    history.replaceState(null, "", `?rollcall_invite=${encodeURIComponent(TOKEN)}`);
    try {
      const el = await join({ [`GET /v1/invites/${TOKEN}`]: link() }, html`<rollcall-join api=${API}></rollcall-join>`);
      expect($(el, "[part=invitation]").textContent).to.contain("You are invited");
    } finally {
      history.replaceState(null, "", before);
    }
  });

  it("says an expired invitation has expired", async () => {
    const el = await invited({ [`GET /v1/invites/${TOKEN}`]: link({ status: "expired" }) });
    expect($(el, "[part=state]").textContent).to.equal("This invitation has expired.");
    expect(el.shadowRoot!.querySelector("button")).to.equal(null);
    await expect(el).to.be.accessible();
  });

  for (const [what, invitation, session, says] of [
    ["cancelled", { status: "cancelled" }, {}, "This invitation was cancelled."],
    ["expired", { status: "expired" }, {}, "This invitation has expired."],
    ["accepted", { status: "accepted" }, {}, "This invitation has already been accepted."],
    ["of a cancelled session", {}, { status: "cancelled" }, "This session is cancelled."],
  ] as const) {
    it(`never says "You are invited" above an invitation that is ${what}`, async () => {
      const el = await invited({ [`GET /v1/invites/${TOKEN}`]: link(invitation, session) });
      expect($(el, "[part=state]").textContent).to.equal(says);
      expect(text(el)).to.not.contain("You are invited");
      expect(text(el)).to.not.contain("reserved");
      expect(el.shadowRoot!.querySelector("[part=invitation]")).to.equal(null);
    });
  }

  it("says a cancelled invitation link is gone", async () => {
    const el = await invited({ [`GET /v1/invites/${TOKEN}`]: problem(410, "invitation_cancelled") });
    expect($(el, "[role=alert]").textContent).to.equal("This invitation was cancelled.");
  });

  it("is in French with locale=fr", async () => {
    const el = await join(
      { [`GET /v1/invites/${TOKEN}`]: link() },
      html`<rollcall-join api=${API} invite=${TOKEN} locale="fr"></rollcall-join>`,
    );
    expect($(el, "[part=invitation]").textContent).to.contain("Code de réduction : CAMP10");
    expect([...el.shadowRoot!.querySelectorAll("button")].map((b) => b.textContent!.trim())).to.deep.equal(["Accepter", "Refuser"]);
  });
});
