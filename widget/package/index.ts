// @rollcall/elements: the element classes, the explicit API option and the types of their events,
// without defining any element (importing this file touches no browser global, so a server can
// render a page that imports it). `@rollcall/elements/define` registers them all; each
// `@rollcall/elements/<element>` registers one.

export type { Problem, ProblemCode, PublicSession, Registration } from "../api/client";
export { configure } from "../api/origin";
export { RollcallInvite } from "../invite/invite";
export { RollcallJoin } from "../join/join";
export { RollcallRoster } from "../roster/roster";
export { RollcallSessions } from "../sessions/sessions";

import type { RollcallEvents } from "../shared/element";

export type { RollcallEvents };

// The detail of each event by a name of its own, as the manifest's event types and the React, Vue
// and Svelte typings name them (e.g. onrollcall-registered's `e.detail` is a RollcallRegisteredDetail).
export type RollcallRegisteredDetail = RollcallEvents["registered"];
export type RollcallDeclinedDetail = RollcallEvents["declined"];
export type RollcallErrorDetail = RollcallEvents["error"];
export type RollcallInvitedDetail = RollcallEvents["invited"];
export type RollcallPickedDetail = RollcallEvents["picked"];
export type RollcallRemovedDetail = RollcallEvents["removed"];
export type RollcallInvitationSentDetail = RollcallEvents["invitation-sent"];
export type RollcallInvitationEditedDetail = RollcallEvents["invitation-edited"];
export type RollcallInvitationResentDetail = RollcallEvents["invitation-resent"];
export type RollcallInvitationCancelledDetail = RollcallEvents["invitation-cancelled"];
export type RollcallInvitationsSentDetail = RollcallEvents["invitations-sent"];
export type RollcallInvitationsResentDetail = RollcallEvents["invitations-resent"];
export type RollcallExportedDetail = RollcallEvents["exported"];
export type RollcallErasedDetail = RollcallEvents["erased"];
export type RollcallUndoneDetail = RollcallEvents["undone"];
