// A page whose Content Security Policy leaves the API out: the browser blocks the call as it would
// a network failure, and the element names the directive to add rather than "check your
// connection". Its own file: the policy, once set, holds for the rest of the page.
import { expect, fixture, html, waitUntil } from "@open-wc/testing";
import "../../widget/join/define";
import type { RollcallJoin } from "../../widget/join/join";
import { $, SESSION_ID } from "./api-mock";

// Not mocked: the real fetch, to an origin the policy does not list.
const BLOCKED = "http://127.0.0.1:9";

const policy = document.createElement("meta");
policy.httpEquiv = "Content-Security-Policy";
policy.content = "connect-src 'self' ws: wss:";
document.head.append(policy);

describe("a page whose CSP blocks the API", () => {
  it("names the directive and the origin to add, and is not an outage", async () => {
    const el = await fixture<RollcallJoin>(html`<rollcall-join session=${SESSION_ID} api=${BLOCKED}></rollcall-join>`);
    await waitUntil(() => el.shadowRoot!.querySelector("[part=error]")?.textContent, "no error was shown", { timeout: 5000 });
    expect($(el, "[part=error]").textContent).to.equal(
      `This page’s Content Security Policy blocks Rollcall: add ${BLOCKED} to its connect-src directive.`,
    );
    expect($(el, "[part=offline]").textContent!.trim()).to.equal("");
    expect(el.shadowRoot!.textContent).to.not.contain("connection");
  });
});
