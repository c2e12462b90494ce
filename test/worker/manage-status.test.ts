// GET /v1/manage/{token}: what <rollcall-join> asks on a returning visit. Only the token's holder
// learns anything, and only the registration's status: no name, no address; unknown tokens are 404.
import { describe, expect, it } from "vitest";
import { api, expectProblem, newOrg, newSession, register } from "./helpers";

describe("GET /v1/manage/:token", () => {
  it("answers the registration's status and place in line, nothing personal, and cancelled once it is", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 1, minParticipants: 0 });
    const ada = await register(s.id, { name: "Ada Lovelace", email: "ada.status@example.org" });
    const wai = await register(s.id, { name: "Wai", email: "wai.status@example.org" });
    const seen = await api("GET", `/v1/manage/${ada.body.manageToken}`);
    expect(seen.status).toBe(200);
    expect(seen.body).toEqual({ status: "confirmed", waitlistPosition: null });
    expect((await api("GET", `/v1/manage/${wai.body.manageToken}`)).body).toEqual({ status: "waitlisted", waitlistPosition: 1 });
    await api("POST", `/v1/manage/${ada.body.manageToken}/cancel`);
    expect((await api("GET", `/v1/manage/${ada.body.manageToken}`)).body).toEqual({ status: "cancelled", waitlistPosition: null });
  });

  it("is the same 404 for a forged, a malformed and another session's token", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const ada = await register(s.id, { name: "Ada", email: "ada.forged@example.org" });
    const forged = `${s.id}.${"A".repeat(32)}`;
    expectProblem(await api("GET", `/v1/manage/${forged}`), "not_found");
    expectProblem(await api("GET", "/v1/manage/nonsense"), "not_found");
    const other = await newSession(key);
    const swapped = `${other.id}.${String(ada.body.manageToken).split(".")[1]}`;
    expectProblem(await api("GET", `/v1/manage/${swapped}`), "not_found");
  });
});
