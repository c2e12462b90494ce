import { expect, fixture, html, waitUntil } from "@open-wc/testing";
import "../../widget/rollcall";
import type { RollcallJoin } from "../../widget/join/join";
import { $, API, mockApi, publicSession, SESSION_ID } from "./api-mock";

describe("embedding", () => {
  // Runs first: the script alone defines nothing until the page uses an element.
  it("loads an element's code on first use only, and loading the script a second time is harmless", async () => {
    expect(customElements.get("rollcall-roster")).to.equal(undefined);
    expect(customElements.get("rollcall-invite")).to.equal(undefined);
    const api = mockApi({ [`GET /v1/public/sessions/${SESSION_ID}`]: { body: publicSession() } });
    try {
      await fixture(html`<rollcall-join session=${SESSION_ID} api=${API}></rollcall-join>`);
      const first = await customElements.whenDefined("rollcall-join");
      expect(customElements.get("rollcall-roster")).to.equal(undefined);
      // Another URL is another module instance: a second loader, importing the same element modules.
      await import(/* @vite-ignore */ new URL("../../widget/rollcall.ts?again", import.meta.url).href);
      await fixture(html`<rollcall-join session=${SESSION_ID} api=${API}></rollcall-join>`);
      expect(customElements.get("rollcall-join")).to.equal(first);
    } finally {
      api.restore();
    }
  });

  it("loads an element added later, and one an element renders in its shadow root", async () => {
    const api = mockApi({
      "GET /v1/sessions/ses_1/roster": { body: { session: { title: "Camp", seats: {}, minParticipants: 0 }, rows: [] } },
    });
    try {
      const host = await fixture<HTMLDivElement>(html`<div></div>`);
      host.innerHTML = `<rollcall-roster session="ses_1" token="t" api="${API}"></rollcall-roster>`;
      await customElements.whenDefined("rollcall-roster");
      // The roster renders <rollcall-invite> in its shadow root: its code follows.
      await customElements.whenDefined("rollcall-invite");
      await waitUntil(() => host.querySelector("rollcall-roster")!.shadowRoot!.querySelector("rollcall-invite")?.shadowRoot);
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
