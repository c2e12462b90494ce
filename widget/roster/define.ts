// Defines <rollcall-roster> (once): the chunk the loader imports on first use, and the way to import
// this element alone.

import { define } from "../shared/element";
import { RollcallRoster } from "./roster";

define("rollcall-roster", RollcallRoster);

export { RollcallRoster };
