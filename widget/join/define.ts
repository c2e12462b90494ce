// Defines <rollcall-join> (once): the chunk the loader imports on first use, and the way to import
// this element alone.

import { define } from "../shared/element";
import { RollcallJoin } from "./join";

define("rollcall-join", RollcallJoin);

export { RollcallJoin };
