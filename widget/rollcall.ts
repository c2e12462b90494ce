// The one script a site embeds: defines every Rollcall element, once (loading it twice is harmless).

import { RollcallInvite } from "./invite/invite";
import { RollcallJoin } from "./join/join";
import { RollcallRoster } from "./roster/roster";
import { define } from "./shared/element";

define("rollcall-join", RollcallJoin);
define("rollcall-invite", RollcallInvite);
define("rollcall-roster", RollcallRoster);

export { RollcallInvite, RollcallJoin, RollcallRoster };
