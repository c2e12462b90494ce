// Every mistake of an embedding page gets its own sentence, naming what to change, and no "Try
// again" that cannot help; an outage is an offline state that goes by itself.
import { expect, fixture, html, waitUntil } from "@open-wc/testing";
import "../../widget/join/define";
import "../../widget/roster/define";
import type { RollcallJoin } from "../../widget/join/join";
import type { RollcallRoster } from "../../widget/roster/roster";
import { RollcallElement } from "../../widget/shared/element";
import { $, API, FakeSocket, mockApi, openSockets, problem, publicSession, SESSION_ID, text } from "./api-mock";
import { FakeTimers } from "./fake-timers";

const SESSION = `GET /v1/public/sessions/${SESSION_ID}`;
const ROSTER = `GET /v1/sessions/${SESSION_ID}/roster`;

let api: ReturnType<typeof mockApi>;
afterEach(() => api?.restore());

/** A fetch that cannot reach anything, as the browser's own TypeError. */
const unreachable = () => {
  throw new TypeError("Failed to fetch");
};

async function join(routes: Parameters<typeof mockApi>[0], locale = "en") {
  api = mockApi(routes);
  const el = await fixture<RollcallJoin>(html`<rollcall-join session=${SESSION_ID} api=${API} locale=${locale}></rollcall-join>`);
  await waitUntil(() => el.shadowRoot!.querySelector("h2, [part=error], .offline p"), "the element showed nothing");
  return el;
}

async function rosterWith(routes: Parameters<typeof mockApi>[0], attributes: string) {
  api = mockApi(routes);
  const host = await fixture<HTMLDivElement>(html`<div></div>`);
  host.innerHTML = `<rollcall-roster session="${SESSION_ID}" api="${API}" ${attributes}></rollcall-roster>`;
  const el = host.firstElementChild as RollcallRoster;
  await waitUntil(() => el.shadowRoot?.querySelector("[part=error]")?.textContent, "no error was shown");
  return el;
}

const errorOf = (el: Element) => $(el, "[part=error]").textContent!.trim();
const buttons = (el: Element) => [...el.shadowRoot!.querySelectorAll("button")].map((b) => b.textContent!.trim());

describe("an embedding page's mistakes", () => {
  it("names the page's origin when the organisation does not allow it, with no Try again", async () => {
    const el = await join({ [SESSION]: problem(403, "origin_not_allowed", { origin: "https://camp.example" }) });
    expect(errorOf(el)).to.equal(
      "This site (https://camp.example) is not in the organisation’s allowed origins. An owner adds it under Settings, Allowed embed origins, in Rollcall’s admin.",
    );
    expect(buttons(el)).to.not.include("Try again");
    expect(text(el)).to.not.contain("connection");
  });

  it("says it in French too", async () => {
    const el = await join({ [SESSION]: problem(403, "origin_not_allowed", { origin: "https://camp.example" }) }, "fr");
    expect(errorOf(el)).to.equal(
      "Ce site (https://camp.example) ne fait pas partie des origines autorisées de l’organisation. Un propriétaire l’ajoute dans Réglages, Origines autorisées pour l’intégration, dans l’administration de Rollcall.",
    );
  });

  it("tells an unknown session id apart, with no Try again", async () => {
    const el = await join({ [SESSION]: problem(404, "session_not_found") });
    expect(errorOf(el)).to.equal("No session was found. Check the element’s session attribute.");
    expect(buttons(el)).to.not.include("Try again");
  });

  it("keeps Try again for what may pass", async () => {
    const el = await join({ [SESSION]: [problem(503, "unavailable"), { body: publicSession() }] });
    expect(errorOf(el)).to.equal("The service is briefly unavailable. Try again in a moment.");
    $(el, "button").click();
    await waitUntil(() => el.shadowRoot!.querySelector("h2"));
  });

  it("says a roster without token or token-url needs one, and calls nothing", async () => {
    const el = await rosterWith({}, "");
    expect(errorOf(el)).to.equal("This element has no widget token: give it a token or token-url attribute.");
    expect(api.calls).to.have.length(0);
  });

  it("names the token-url and its answer when it refuses to give a token", async () => {
    const el = await rosterWith({ "GET /office/token": problem(401, "unauthenticated") }, 'token-url="/office/token" trust-api');
    expect(errorOf(el)).to.equal(`The element’s token-url (${location.origin}/office/token) answered 401 instead of a token.`);
    expect(text(el)).to.not.contain("connection");
  });

  it("tells a token for another session, an invalid token and an expired one apart", async () => {
    const wrong = await rosterWith({ [ROSTER]: problem(403, "token_wrong_session") }, 'token="wt_x"');
    expect(errorOf(wrong)).to.equal("This element’s widget token is for another session. Give it a token minted for this session.");
    const invalid = await rosterWith({ [ROSTER]: problem(401, "token_invalid") }, 'token="wt_x"');
    expect(errorOf(invalid)).to.equal("This element’s widget token is not valid (or the key behind it was revoked). Give it a fresh one.");
    const expired = await rosterWith({ [ROSTER]: problem(401, "token_expired") }, 'token="wt_x"');
    expect(errorOf(expired)).to.equal("Your access has expired. Reload the page.");
    const notWidget = await rosterWith({ [ROSTER]: problem(401, "unauthenticated") }, 'token="rk_x"');
    expect(errorOf(notWidget)).to.equal(
      "This element’s token is not a widget token. Give it one from POST /v1/widget-tokens (token or token-url).",
    );
  });
});

describe("an outage", () => {
  const offlineLine = "Offline. Reconnecting…";

  it("shows the offline state in a polite region, no alert, and loads once the browser is back online", async () => {
    let reachable = false;
    const el = await join({ [SESSION]: () => (reachable ? { body: publicSession() } : unreachable()) });
    const region = $(el, "[part=offline]");
    expect(region.getAttribute("role")).to.equal("status");
    expect(region.textContent!.trim()).to.equal(offlineLine);
    expect(errorOf(el)).to.equal("");
    expect(buttons(el)).to.not.include("Try again");
    // The live channel of the session it could not load tells when the API is back.
    await waitUntil(() => openSockets().length === 1);
    openSockets()[0]!.drop();
    reachable = true;
    window.dispatchEvent(new Event("online"));
    expect(openSockets(), "no reconnection on the online event").to.have.length(1);
    openSockets()[0]!.push(publicSession());
    await waitUntil(() => el.shadowRoot!.querySelector("h2"), "the session never loaded");
    expect(api.calls).to.have.length(2);
    expect($(el, "[part=offline]").textContent!.trim()).to.equal("");
  });

  it("keeps reconnecting while the network stays down, and loads when the channel speaks again", async () => {
    const clock = new FakeTimers();
    RollcallElement.timers = clock;
    try {
      let reachable = false;
      const el = await join({ [SESSION]: () => (reachable ? { body: publicSession() } : unreachable()) });
      await waitUntil(() => openSockets().length === 1);
      openSockets()[0]!.drop();
      clock.tick(1_000);
      expect(FakeSocket.all).to.have.length(2);
      openSockets()[0]!.drop();
      clock.tick(1_999);
      expect(FakeSocket.all).to.have.length(2);
      clock.tick(1);
      expect(FakeSocket.all).to.have.length(3);
      expect($(el, "[part=offline]").textContent!.trim()).to.equal(offlineLine);
      reachable = true;
      openSockets()[0]!.push(publicSession());
      await waitUntil(() => el.shadowRoot!.querySelector("h2"), "the session never loaded");
      expect($(el, "[part=offline]").textContent!.trim()).to.equal("");
    } finally {
      RollcallElement.timers = globalThis;
    }
  });

  it("goes offline when the live channel drops, and back with its next message", async () => {
    const clock = new FakeTimers();
    RollcallElement.timers = clock;
    try {
      const el = await join({ [SESSION]: { body: publicSession() } });
      await waitUntil(() => openSockets().length === 1);
      openSockets()[0]!.push(publicSession());
      openSockets()[0]!.drop();
      await el.updateComplete;
      expect($(el, "[part=offline]").textContent!.trim()).to.equal(offlineLine);
      // The card stays, as it was.
      expect($(el, "h2").textContent).to.equal("Forest camp — week 1");
      clock.tick(1_000);
      expect(FakeSocket.all).to.have.length(2);
      openSockets()[0]!.push(publicSession({ seats: { capacity: 20, available: 4, waitlisted: 0, confirmed: 0 } }));
      await waitUntil(() => $(el, "[part=seats]").textContent === "4 seats left");
      expect($(el, "[part=offline]").textContent!.trim()).to.equal("");
    } finally {
      RollcallElement.timers = globalThis;
    }
  });

  it("keeps the roster's rows while offline and reloads them when its live channel speaks again", async () => {
    let reachable = true;
    const seats = { capacity: 20, confirmed: 0, held: 0, host: 0, available: 20, waitlisted: 0 };
    const body = {
      session: { ...publicSession(), seats, minParticipants: 0, minimum: { decision: "pending" } },
      rows: [],
      mail: { waiting: 0, failed: 0 },
      payments: [],
    };
    api = mockApi({ [ROSTER]: () => (reachable ? { body } : unreachable()) });
    const el = await fixture<RollcallRoster>(html`<rollcall-roster session=${SESSION_ID} api=${API} token="wt_x"></rollcall-roster>`);
    await waitUntil(() => el.shadowRoot!.querySelector("[part~=summary]"), "the roster never loaded");
    reachable = false;
    await el.refresh();
    await el.updateComplete;
    expect($(el, "[part=offline]").textContent!.trim()).to.equal(offlineLine);
    expect(errorOf(el)).to.equal("");
    expect(el.shadowRoot!.querySelector("[part~=summary]")).to.not.equal(null);
    reachable = true;
    const before = api.calls.length;
    openSockets()[0]!.push(publicSession());
    await waitUntil(() => api.calls.length > before && $(el, "[part=offline]").textContent!.trim() === "", "no reload");
  });
});
