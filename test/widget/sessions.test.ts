import { expect, fixture, html, waitUntil } from "@open-wc/testing";
import "../../widget/sessions/define";
import type { RollcallSessions } from "../../widget/sessions/sessions";
import { $, API, mockApi, problem, text } from "./api-mock";

const LISTING = "GET /v1/public/orgs/forest-camp/sessions";

const row = (overrides: Record<string, unknown> = {}) => ({
  id: "ses_0h4k8m2q9rvt3x7c1a5d",
  title: "Forest camp — week 1",
  description: "Five mornings in the woods.",
  startsAt: "2027-07-05T07:00:00Z",
  endsAt: "2027-07-05T10:00:00Z",
  timeZone: "Europe/Paris",
  durationMinutes: 180,
  waitlist: true,
  seats: { capacity: 10, available: 4, waitlisted: 0 },
  registrationState: "open",
  program: null,
  tags: [],
  url: "/s/ses_0h4k8m2q9rvt3x7c1a5d",
  host: null,
  ...overrides,
});

const listing = (sessions: unknown[], extra: Record<string, unknown> = {}) => ({
  body: {
    org: { name: "Forest Camp", slug: "forest-camp" },
    host: null,
    sessions,
    next: null,
    facets: { programs: [], tags: [] },
    ...extra,
  },
});

let api: ReturnType<typeof mockApi>;
afterEach(() => {
  api?.restore();
  document.documentElement.lang = "en";
});

async function sessions(
  routes: Parameters<typeof mockApi>[0],
  template = html`<rollcall-sessions org="forest-camp" api=${API}></rollcall-sessions>`,
) {
  api = mockApi(routes);
  const el = await fixture<RollcallSessions>(template);
  await waitUntil(
    () => el.shadowRoot!.querySelector("ul, [role=status]:not(:empty), [role=alert]") && !text(el).includes("Loading"),
    "never loaded",
  );
  return el;
}

describe("<rollcall-sessions>", () => {
  it("lists each session with its date in the visitor's zone, seats left and a Join link to its page", async () => {
    const el = await sessions({
      [LISTING]: listing([
        row(),
        row({
          id: "ses_1",
          title: "Full one",
          registrationState: "full",
          seats: { capacity: 10, available: 0, waitlisted: 2 },
          url: "/s/ses_1",
        }),
      ]),
    });
    const rows = el.shadowRoot!.querySelectorAll("li");
    expect(rows.length).to.equal(2);
    expect(rows[0]!.querySelector("h3")!.textContent).to.equal("Forest camp — week 1");
    expect(rows[0]!.querySelector("time")!.getAttribute("datetime")).to.equal("2027-07-05T07:00:00Z");
    const start = new Date("2027-07-05T07:00:00Z");
    const viewerZone = new Intl.DateTimeFormat("en", { timeZoneName: "short" })
      .formatToParts(start)
      .find((p) => p.type === "timeZoneName")!.value;
    const day = new Intl.DateTimeFormat("en", { month: "long", day: "numeric" }).format(start);
    expect(rows[0]!.querySelector("[part=when]")!.textContent).to.contain(day).and.to.contain(viewerZone);
    expect(rows[0]!.querySelector("[part=seats]")!.textContent).to.equal("4 seats left");
    const link = rows[0]!.querySelector("a") as HTMLAnchorElement;
    expect(link.href).to.equal(`${API}/s/ses_0h4k8m2q9rvt3x7c1a5d`);
    expect(link.textContent!.trim()).to.equal("Join");
    expect(rows[1]!.querySelector("[part=seats]")!.textContent).to.equal("Full — waitlist open");
    expect(rows[1]!.querySelector("a")!.textContent!.trim()).to.equal("Join the waitlist");
    expect(api.calls[0]!.path).to.equal("/v1/public/orgs/forest-camp/sessions?limit=20");
    await expect(el).to.be.accessible();
  });

  it("puts its heading and each session's title at the page's level with heading-level", async () => {
    const levels = (el: RollcallSessions) =>
      [...el.shadowRoot!.querySelectorAll("h2, h3")].map((h) => `${h.localName} ${h.getAttribute("aria-level")}`);
    const plain = await sessions({ [LISTING]: listing([row()]) });
    expect(levels(plain)).to.deep.equal(["h2 null", "h3 null"]);
    api.restore();
    const deeper = await sessions(
      { [LISTING]: listing([row()]) },
      html`<rollcall-sessions org="forest-camp" api=${API} heading-level="3"></rollcall-sessions>`,
    );
    expect(levels(deeper)).to.deep.equal(["h2 3", "h3 4"]);
    await expect(deeper).to.be.accessible();
  });

  it("filters by the answer's facets, asking the API again from the start", async () => {
    const el = await sessions({
      [LISTING]: (call) =>
        call.path.includes("tag=kids")
          ? listing([row({ title: "Kids only" })], { facets: { programs: [], tags: ["adults", "kids"] } })
          : listing([row(), row({ id: "ses_2", title: "Other" })], {
              facets: { programs: [{ id: "prg_1", name: "Summer" }], tags: ["adults", "kids"] },
            }),
    });
    const select = $(el, "#tag") as HTMLSelectElement;
    expect([...select.options].map((o) => o.value)).to.deep.equal(["", "adults", "kids"]);
    select.value = "kids";
    select.dispatchEvent(new Event("change"));
    await waitUntil(() => text(el).includes("Kids only"));
    expect(api.calls.at(-1)!.path).to.equal("/v1/public/orgs/forest-camp/sessions?limit=20&tag=kids");
    expect(el.shadowRoot!.querySelectorAll("li").length).to.equal(1);
    await expect(el).to.be.accessible();
  });

  it("shows more on demand with the next cursor", async () => {
    const el = await sessions({
      [LISTING]: (call) =>
        call.path.includes("cursor=c1") ? listing([row({ id: "ses_3", title: "Third" })]) : listing([row()], { next: "c1" }),
    });
    const more = [...el.shadowRoot!.querySelectorAll("button")].find((b) => b.textContent!.trim() === "Show more")!;
    more.click();
    await waitUntil(() => text(el).includes("Third"));
    expect(el.shadowRoot!.querySelectorAll("li").length).to.equal(2);
  });

  it("says when nothing is coming", async () => {
    const el = await sessions({ [LISTING]: listing([]) });
    expect($(el, "[role=status]").textContent).to.equal("No upcoming sessions.");
    await expect(el).to.be.accessible();
  });

  it("says so when the org is unknown, and shows the problem's message otherwise, with a retry", async () => {
    const unknown = await sessions({ [LISTING]: problem(404, "not_found") });
    expect($(unknown, "[role=alert]").textContent).to.equal("No organisation has this public address.");
    api.restore();
    const limited = await sessions({ [LISTING]: [problem(429, "rate_limited"), listing([row()])] });
    expect($(limited, "[role=alert]").textContent).to.equal("Too many attempts. Wait a minute and try again.");
    await expect(limited).to.be.accessible();
    ($(limited, "button") as HTMLButtonElement).click();
    await waitUntil(() => limited.shadowRoot!.querySelector("li"));
  });

  it("speaks French", async () => {
    document.documentElement.lang = "fr";
    const el = await sessions({ [LISTING]: listing([row({ seats: { capacity: 10, available: 1, waitlisted: 0 } })]) });
    await waitUntil(() => text(el).includes("S’inscrire"));
    expect($(el, "[part=title]").textContent).to.equal("Séances à venir");
    expect($(el, "[part=seats]").textContent).to.equal("1 place restante");
    await expect(el).to.be.accessible();
  });

  describe("a host's public page (host attribute)", () => {
    const MARIE = { name: "Marie Curie", slug: "marie-curie", url: "/o/forest-camp/hosts/marie-curie" };
    const hostPage = html`<rollcall-sessions org="forest-camp" host="marie-curie" api=${API}></rollcall-sessions>`;

    it("asks for the host's sessions only and names them in its heading, not on each row", async () => {
      const el = await sessions({ [LISTING]: listing([row({ host: MARIE })], { host: MARIE }) }, hostPage);
      expect(api.calls[0]!.path).to.equal("/v1/public/orgs/forest-camp/sessions?limit=20&host=marie-curie");
      expect($(el, "[part=title]").textContent).to.equal("Upcoming sessions with Marie Curie");
      expect(text(el)).not.to.contain("With Marie Curie");
      await expect(el).to.be.accessible();
    });

    it("on the whole org's list, says who hosts a session when they have a public page", async () => {
      const el = await sessions({ [LISTING]: listing([row({ host: MARIE }), row({ id: "ses_2", title: "Nobody's" })]) });
      const rows = el.shadowRoot!.querySelectorAll("li");
      expect(rows[0]!.textContent).to.contain("With Marie Curie");
      expect(rows[1]!.textContent).not.to.contain("With");
      expect($(el, "[part=title]").textContent).to.equal("Upcoming sessions");
    });

    it("says so when no one has this page, in English and French", async () => {
      const unknown = await sessions({ [LISTING]: problem(404, "not_found") }, hostPage);
      expect($(unknown, "[role=alert]").textContent).to.equal("No one in this organisation has this public page.");
      api.restore();
      document.documentElement.lang = "fr";
      const el = await sessions({ [LISTING]: listing([row({ host: MARIE })], { host: MARIE }) }, hostPage);
      await waitUntil(() => text(el).includes("S’inscrire"));
      expect($(el, "[part=title]").textContent).to.equal("Séances à venir avec Marie Curie");
    });
  });
});
