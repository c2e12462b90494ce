// Defines <rollcall-invite> (once): the chunk the loader imports on first use, and the way to import
// this element alone.

import { define } from "../shared/element";
import { RollcallInvite } from "./invite";

define("rollcall-invite", RollcallInvite);

export { RollcallInvite };
