// The one rule on an organisation's sender name beyond its length: it may not contain an email
// address. The name is the display name in front of Rollcall's verified address ("Forest Camp"
// <invitations@…>), and mail readers show the name first, often alone: a name such as
// "billing@bank.example" would be read as the sender. Pure; PATCH /v1/org and the hosted admin's
// settings form both ask it.

/** Something shaped like an address: text@text, or an @ before a dotted domain ("support @bank.example"). */
const ADDRESS = /[^\s@]@[^\s@]|@\s*[^\s@]+\.[^\s@]/u;
/** Invisible format characters (zero-width space, joiners…), which a reader does not see. */
const INVISIBLE = /\p{Cf}/gu;

export function senderNameHasAddress(name: string): boolean {
  // NFKC turns the look-alike at signs (＠, ﹫) into @.
  return ADDRESS.test(name.normalize("NFKC").replace(INVISIBLE, ""));
}
