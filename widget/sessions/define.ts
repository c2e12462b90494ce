// Defines <rollcall-sessions> (once): the chunk the loader imports on first use, and the way to
// import this element alone.

import { define } from "../shared/element";
import { RollcallSessions } from "./sessions";

define("rollcall-sessions", RollcallSessions);

export { RollcallSessions };
