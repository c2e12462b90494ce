import { expect, fixture, html, waitUntil } from "@open-wc/testing";
import "../../widget/rollcall";
import type { RollcallJoin } from "../../widget/join/join";
import { $, API, mockApi, publicSession, SESSION_ID } from "./api-mock";

describe("embedding", () => {
  // Runs first: the script alone defines nothing until the page uses an element.
  it("loads an element's code when one is added, also inside the shadow root of one of ours", async () => {
    for (const tag of ["rollcall-join", "rollcall-roster", "rollcall-invite"]) expect(customElements.get(tag)).to.equal(undefined);
    const api = mockApi({
      "GET /v1/sessions/ses_1/roster": { body: { session: { title: "Camp", seats: {}, minParticipants: 0 }, rows: [] } },
      [`GET /v1/public/sessions/${SESSION_ID}`]: { body: publicSession() },
    });
    try {
      const host = await fixture<HTMLDivElement>(html`<div></div>`);
      host.innerHTML = `<rollcall-roster session="ses_1" token="t" api="${API}"></rollcall-roster>`;
      await customElements.whenDefined("rollcall-roster");
      await customElements.whenDefined("rollcall-invite");
      expect(customElements.get("rollcall-join")).to.equal(undefined);
      // An element of ours rendering another in its shadow root: that one's code follows.
      const join = document.createElement("rollcall-join");
      join.setAttribute("session", SESSION_ID);
      join.setAttribute("api", API);
      host.querySelector("rollcall-roster")!.shadowRoot!.append(join);
      await customElements.whenDefined("rollcall-join");
      await waitUntil(() => join.shadowRoot?.querySelector("h2"), "the join element never rendered");
    } finally {
      api.restore();
    }
  });

  it("defines each element once: loading the script a second time is harmless", async () => {
    const first = customElements.get("rollcall-join");
    // Another URL is another module instance: a second loader, importing the same element modules.
    await import(/* @vite-ignore */ new URL("../../widget/rollcall.ts?again", import.meta.url).href);
    const api = mockApi({ [`GET /v1/public/sessions/${SESSION_ID}`]: { body: publicSession() } });
    try {
      const el = await fixture<RollcallJoin>(html`<rollcall-join session=${SESSION_ID} api=${API}></rollcall-join>`);
      await waitUntil(() => el.shadowRoot?.querySelector("h2"));
      expect(customElements.get("rollcall-join")).to.equal(first);
    } finally {
      api.restore();
    }
  });

  it("keeps a hostile page's global CSS out of the elements", async () => {
    const style = document.createElement("style");
    style.textContent = `* { all: revert; color: red !important; font-size: 30px; font-family: cursive; letter-spacing: 4px; text-transform: uppercase }
      button { display: none } p, h2 { display: none !important }`;
    document.head.append(style);
    const api = mockApi({ [`GET /v1/public/sessions/${SESSION_ID}`]: { body: publicSession() } });
    try {
      const el = await fixture<RollcallJoin>(html`<rollcall-join session=${SESSION_ID} api=${API}></rollcall-join>`);
      await waitUntil(() => el.shadowRoot!.querySelector("h2"));
      const title = getComputedStyle($(el, "h2"));
      expect(title.color).to.equal("rgb(28, 31, 38)");
      expect(title.fontSize).to.equal("20px");
      expect(title.letterSpacing).to.equal("normal");
      expect(title.textTransform).to.equal("none");
      expect(title.display).to.equal("block");
      expect(getComputedStyle($(el, "button")).display).to.not.equal("none");
    } finally {
      style.remove();
      api.restore();
    }
  });

  it("uses the script's own origin as the API base when no api attribute is given", async () => {
    const api = mockApi({ [`GET /v1/public/sessions/${SESSION_ID}`]: { body: publicSession() } });
    try {
      const el = await fixture<RollcallJoin>(html`<rollcall-join session=${SESSION_ID}></rollcall-join>`);
      await waitUntil(() => el.shadowRoot!.querySelector("h2"));
      expect(api.calls[0]!.url).to.equal(`${location.origin}/v1/public/sessions/${SESSION_ID}`);
    } finally {
      api.restore();
    }
  });
});
