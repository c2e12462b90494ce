// The fallback pattern of the README: a link inside the element, in its `fallback` slot. While
// the element is not defined (its script blocked, down or slow), the browser shows its children;
// once defined, the element takes its place and says what is wrong itself.
import { expect, fixture, html, waitUntil } from "@open-wc/testing";
import type { RollcallJoin } from "../../widget/join/join";
import { API, mockApi, problem, publicSession, SESSION_ID } from "./api-mock";

const LINK = `https://rollcall.example/s/${SESSION_ID}`;

/** Whether the browser lays the element out (it is on screen, in a box of its own). */
const shown = (el: Element) => el.getClientRects().length > 0 && (el as HTMLElement).offsetHeight > 0;

describe("fallback content", () => {
  it("stays on the page when the widget's script fails to load", async () => {
    const frame = await fixture<HTMLIFrameElement>(html`<iframe title="site"></iframe>`);
    const failed = new Promise((resolve) => frame.addEventListener("load", resolve, { once: true }));
    frame.srcdoc = `<!doctype html><html lang="en"><body>
      <script type="module" src="http://127.0.0.1:9/widget/rollcall.js"></script>
      <rollcall-join session="${SESSION_ID}"><a slot="fallback" href="${LINK}">Register</a></rollcall-join>
    </body></html>`;
    await failed;
    const doc = frame.contentDocument!;
    const link = doc.querySelector("a")!;
    expect(doc.defaultView!.customElements.get("rollcall-join")).to.equal(undefined);
    expect(shown(link)).to.equal(true);
    expect(link.textContent).to.equal("Register");
    expect(link.href).to.equal(LINK);
  });

  it("gives way to the element once it is defined, whether it shows the session or an error", async () => {
    await import("../../widget/join/define");
    const api = mockApi({
      [`GET /v1/public/sessions/${SESSION_ID}`]: { body: publicSession() },
      "GET /v1/public/sessions/ses_00000000000000000000": problem(404, "session_not_found"),
    });
    try {
      const el = await fixture<RollcallJoin>(
        html`<rollcall-join session=${SESSION_ID} api=${API}><a slot="fallback" href=${LINK}>Register</a></rollcall-join>`,
      );
      await waitUntil(() => el.shadowRoot!.querySelector("h2"));
      const link = el.querySelector("a")!;
      expect(shown(link), "the fallback beside the session").to.equal(false);
      el.setAttribute("session", "ses_00000000000000000000");
      await waitUntil(() => el.shadowRoot!.querySelector("[part=error]")?.textContent);
      expect(shown(link), "the fallback beside the error").to.equal(false);
    } finally {
      api.restore();
    }
  });
});
