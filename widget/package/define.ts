// @rollcall/elements/define: define({ api }) registers every Rollcall element, each once, with the
// API base they use when they have no `api` attribute. Nothing happens at import (server rendering
// imports it safely); call it in the browser, before or after the elements are in the page.

import { configure } from "../api/origin";
import { RollcallInvite } from "../invite/invite";
import { RollcallJoin } from "../join/join";
import { RollcallRoster } from "../roster/roster";
import { RollcallSessions } from "../sessions/sessions";
import { define as register } from "../shared/element";

export type DefineOptions = {
  /** Base URL of the Rollcall API (e.g. `https://rollcall.example`), for every element without an `api` attribute. */
  api?: string;
};

/** Registers `<rollcall-join>`, `<rollcall-sessions>`, `<rollcall-invite>` and `<rollcall-roster>`. */
export function define(options: DefineOptions = {}) {
  if (options.api !== undefined) configure(options);
  register("rollcall-join", RollcallJoin);
  register("rollcall-sessions", RollcallSessions);
  register("rollcall-invite", RollcallInvite);
  register("rollcall-roster", RollcallRoster);
}

export { configure };
