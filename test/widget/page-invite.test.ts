// `?rollcall_invite=<token>` in the page's address: the element of the session the token names
// (or one that names none) takes it out of the address bar and keeps it in memory only; elements
// of other sessions leave it alone.
import { expect, fixture, html, waitUntil } from "@open-wc/testing";
import "../../widget/join/define";
import type { RollcallJoin } from "../../widget/join/join";
import { $, API, inviteLink, mockApi, publicSession, SESSION_ID } from "./api-mock";

const TOKEN = `${SESSION_ID}.${"s".repeat(32)}`;
const OTHER_SESSION = "ses_9z9z9z9z9z9z9z9z9z9z";

const link = () => inviteLink();

let api: ReturnType<typeof mockApi>;
let before: string;
beforeEach(() => {
  before = location.href;
});
afterEach(() => {
  api?.restore();
  history.replaceState(null, "", before);
});

async function mount(template: ReturnType<typeof html>) {
  const el = await fixture<RollcallJoin>(template);
  await waitUntil(() => el.shadowRoot!.querySelector("h2, [role=alert]"), "the element never showed");
  return el;
}

describe("?rollcall_invite= in the page URL", () => {
  it("is taken out of the address bar once read, the rest of the address kept", async () => {
    history.replaceState(null, "", `?lang=en&rollcall_invite=${encodeURIComponent(TOKEN)}&utm=mail#camp`);
    api = mockApi({ [`GET /v1/invites/${TOKEN}`]: link() });

    const el = await mount(html`<rollcall-join session=${SESSION_ID} api=${API}></rollcall-join>`);

    expect($(el, "[part=invitation]").textContent).to.contain("You are invited");
    expect(location.search).to.equal("?lang=en&utm=mail");
    expect(location.hash).to.equal("#camp");
    expect(location.href).to.not.contain("rollcall_invite");
  });

  it("applies only to the element of the session the token names", async () => {
    history.replaceState(null, "", `?rollcall_invite=${encodeURIComponent(TOKEN)}`);
    api = mockApi({
      [`GET /v1/invites/${TOKEN}`]: link(),
      [`GET /v1/public/sessions/${OTHER_SESSION}`]: { body: publicSession({ id: OTHER_SESSION, title: "Lake canoeing" }) },
    });

    // The other session's element reads the address first: it leaves the invitation to its own element.
    const other = await mount(html`<rollcall-join session=${OTHER_SESSION} api=${API}></rollcall-join>`);
    const own = await mount(html`<rollcall-join session=${SESSION_ID} api=${API}></rollcall-join>`);

    expect($(other, "[part=title]").textContent).to.equal("Lake canoeing");
    expect(other.shadowRoot!.querySelector("[part=invitation]")).to.equal(null);
    expect($(own, "[part=invitation]").textContent).to.contain("You are invited");
    expect(api.calls.filter((c) => c.path.startsWith("/v1/invites/"))).to.have.length(1);
    expect(location.href).to.not.contain("rollcall_invite");
  });

  it("keeps it in the element only: answering works once it left the address bar, and nothing stores it", async () => {
    history.replaceState(null, "", `?rollcall_invite=${encodeURIComponent(TOKEN)}`);
    api = mockApi({
      [`GET /v1/invites/${TOKEN}`]: link(),
      [`POST /v1/invites/${TOKEN}/decline`]: { body: { status: "declined" } },
      [`GET /v1/public/sessions/${SESSION_ID}`]: { body: publicSession() },
    });
    const el = await mount(html`<rollcall-join session=${SESSION_ID} api=${API}></rollcall-join>`);
    expect(location.href).to.not.contain("rollcall_invite");

    const button = (label: string) => [...el.shadowRoot!.querySelectorAll("button")].find((b) => b.textContent!.trim() === label);
    button("Decline")!.click();
    // Declining asks first.
    await waitUntil(() => button("Yes, decline"), "not asked");
    button("Yes, decline")!.click();
    await waitUntil(() => el.shadowRoot!.querySelector("[part=message]"), "not declined");
    expect(api.calls.filter((c) => c.method === "POST").map((c) => c.path)).to.deep.equal([`/v1/invites/${TOKEN}/decline`]);

    expect(sessionStorage.length + localStorage.length).to.equal(0);
    const later = await mount(html`<rollcall-join session=${SESSION_ID} api=${API}></rollcall-join>`);
    expect(later.shadowRoot!.querySelector("[part=invitation]")).to.equal(null);
    expect($(later, "[part=title]").textContent).to.equal("Forest camp — week 1");
  });
});
