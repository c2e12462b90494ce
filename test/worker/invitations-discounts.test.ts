// An invitation's discount code is one of the org's catalogue (seed 000: the invite modal selects
// one): checked when the invitation is created, shown by its email and its link, carried to the
// registration it becomes, and on the roster and its CSV.
import { describe, expect, it } from "vitest";
import { api, expectProblem, hoursFromNow, newOrg, newSession, roster } from "./helpers";
import { captureMail, invite, invited, linkClient, mailSoFar, tokenOf } from "./invitation-helpers";

const newCode = async (key: string, body: Record<string, unknown>) => {
  const res = await api("POST", "/v1/discount-codes", { key, body: { percentOff: 10, ...body } });
  if (res.status !== 201) throw new Error(`discount code creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
};

describe("POST /v1/sessions/:id/invitations with a discountCode", () => {
  it("refuses a code the catalogue does not have, or has archived, with 422 discount_invalid, and creates nothing", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    expectProblem(await invite(key, s.id, { recipients: "ada@example.org", discountCode: "NOPE" }), "discount_invalid");
    const archived = await newCode(key, { code: "OLD" });
    await api("PATCH", `/v1/discount-codes/${archived.id}`, { key, body: { active: false } });
    expectProblem(await invite(key, s.id, { recipients: "ada@example.org", discountCode: "OLD" }), "discount_invalid");
    expect((await roster(key, s.id)).rows).toEqual([]);
  });

  it("refuses another org's code as unknown", async () => {
    const { key } = await newOrg();
    const other = await newOrg();
    await newCode(other.key, { code: "THEIRS" });
    const s = await newSession(key);
    expectProblem(await invite(key, s.id, { recipients: "ada@example.org", discountCode: "THEIRS" }), "discount_invalid");
  });

  it("refuses a code past its window (discount_expired) or restricted to other sessions (discount_not_applicable)", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const elsewhere = await newSession(key);
    await newCode(key, { code: "PAST", validFrom: hoursFromNow(-48), validUntil: hoursFromNow(-24) });
    await newCode(key, { code: "OTHER", sessionIds: [elsewhere.id] });
    expectProblem(await invite(key, s.id, { recipients: "ada@example.org", discountCode: "PAST" }), "discount_expired");
    expectProblem(await invite(key, s.id, { recipients: "ada@example.org", discountCode: "OTHER" }), "discount_not_applicable");
    expect((await invited(key, elsewhere.id, { recipients: "ada@example.org", discountCode: "other" })).invitations[0].discountCode).toBe(
      "OTHER",
    );
  });

  it("takes a code restricted to the program the session belongs to", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const program = (await api("POST", "/v1/programs", { key, body: { name: "Autumn", startsOn: "2031-09-01", timeZone: "Europe/Paris" } }))
      .body;
    await api("POST", `/v1/programs/${program.id}/sessions`, { key, body: { sessionIds: [s.id] } });
    await newCode(key, { code: "AUTUMN", programIds: [program.id] });
    expect((await invite(key, s.id, { recipients: "ada@example.org", discountCode: "AUTUMN" })).status).toBe(201);
  });

  it("carries the code, as the catalogue spells it, to the email, the link, the registration, the roster and the CSV", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    await newCode(key, { code: "EARLY10" });
    const captured = await captureMail(s.id);
    const [inv] = (await invited(key, s.id, { recipients: "Ada <ada@example.org>", discountCode: "early10" })).invitations;
    expect(inv.discountCode).toBe("EARLY10");
    const mail = (await mailSoFar(s.id, captured)).find((m) => m.template === "invitation");
    expect(JSON.stringify(mail)).toContain("EARLY10");
    expect((await roster(key, s.id)).rows[0]).toMatchObject({ kind: "invitation", discountCode: "EARLY10" });

    const token = await tokenOf(s.id, inv.id);
    const browser = linkClient();
    expect((await browser.open(token)).body.invitation.discountCode).toBe("EARLY10");
    const accepted = await browser.accept(token, { name: "Ada Lovelace" });
    expect(accepted.status).toBe(201);
    expect(accepted.body.registration).toMatchObject({ status: "confirmed", discountCode: "EARLY10" });
    expect((await roster(key, s.id)).rows).toMatchObject([{ kind: "registration", email: "ada@example.org", discountCode: "EARLY10" }]);
    const csv = await api("GET", `/v1/sessions/${s.id}/roster.csv`, { key });
    const [header, row] = (csv.body as string).replace(/^\uFEFF/, "").split("\r\n");
    expect(row?.split(",")[header?.split(",").indexOf("discount_code") ?? -1]).toBe("EARLY10");
  });
});
