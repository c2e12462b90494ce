// <rollcall-words>: the words of one invitation's email, edited from <rollcall-roster> before it
// goes (seed 002: "you can edit the invitation email before sending it"). A chunk of its own that
// the roster imports the first time a provider edits an invitation. A modal dialog with the
// invitation's subject, button text and message as they are now (a blank one: the email's own
// words, in the person's language), then Save and send, Save (a scheduled invitation keeps its
// time), or Close. Saving is PATCH /v1/invitations/{id}, the API's own body; sending then is the
// roster's Send.

import { html, nothing } from "lit";
import { type Body, client, type Problem, type SignedInit } from "../api/client";
import { LocalizeController } from "../i18n/localize";
import { define, RollcallElement } from "../shared/element";
import { field } from "../shared/field";
import { providerStyles } from "../shared/provider.styles";
import { theme } from "../shared/theme";
import { wordsEn } from "./words.en";
import { wordsFr } from "./words.fr";
import { styles } from "./words.styles";

type Invitation = Body<"/v1/invitations/:id", "$patch">;
type Words = Pick<Invitation, "subject" | "buttonText" | "message">;

/** The invitation to edit, as the roster's row has it (still to send: a draft, or scheduled). */
export type EditedInvitation = { id: string; session: string; status: "draft" | "scheduled"; who: string };

/**
 * The email's words of one invitation still to send, in a modal dialog that `show(invitation)`
 * opens. Used inside `<rollcall-roster>`; fires `rollcall-invitation-edited` after Save and
 * `rollcall-invitation-sent` after Save and send.
 */
export class RollcallWords extends RollcallElement {
  static override styles = [theme, providerStyles, styles];
  static override properties = {
    invitation: { state: true },
    words: { state: true },
    busy: { state: true },
    failure: { state: true },
  };

  /** How it fetches: the roster's fetch, which signs with the provider's token. */
  declare request: (url: string, init: SignedInit) => Promise<Response>;
  declare private invitation: EditedInvitation | undefined;
  /** The words it has now; undefined while they load, or when it is no longer to send. */
  declare private words: Words | undefined;
  declare private busy: boolean;
  declare private failure: string;
  protected readonly t = new LocalizeController(this, { en: wordsEn, fr: wordsFr });

  constructor() {
    super();
    this.request = (url, init) => fetch(url, init);
    this.busy = false;
    this.failure = "";
  }

  private get http() {
    return client(this.base, this.request);
  }

  private get dialog() {
    return this.renderRoot.querySelector("dialog")!;
  }

  /** Opens the dialog on this invitation, its words loaded from the API. */
  async show(invitation: EditedInvitation) {
    this.invitation = invitation;
    this.words = undefined;
    this.failure = "";
    await this.updateComplete;
    this.dialog.showModal();
    const { id, session, status } = invitation;
    const listed = await this.http.call("/v1/sessions/:id/invitations", "$get", { param: { id: session }, query: { status } });
    if (this.invitation !== invitation) return;
    if (!listed.ok) {
      this.failure = this.fail(listed.problem);
      return;
    }
    const found = listed.value.invitations.find((i) => i.id === id);
    if (!found) this.failure = this.t.term("gone");
    else {
      this.words = { subject: found.subject, buttonText: found.buttonText, message: found.message };
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLInputElement>("#subject")?.focus();
    }
  }

  /** Save, or Save and send: the fields as the API's body, a blank one as null (the email's own words). */
  private async submit(event: SubmitEvent) {
    event.preventDefault();
    const invitation = this.invitation;
    if (!invitation || this.busy) return;
    const form = new FormData(event.target as HTMLFormElement);
    const text = (name: keyof Words) => String(form.get(name) ?? "").trim() || null;
    const param = { param: { id: invitation.id } };
    this.busy = true;
    const saved = await this.http.call("/v1/invitations/:id", "$patch", {
      ...param,
      json: { subject: text("subject"), buttonText: text("buttonText"), message: text("message") },
    });
    const sent =
      saved.ok && (event.submitter as HTMLButtonElement | null)?.value === "send"
        ? await this.http.call("/v1/invitations/:id/send", "$post", param)
        : null;
    this.busy = false;
    const refused = !saved.ok ? saved.problem : sent && !sent.ok ? sent.problem : null;
    if (refused) this.failure = this.fail(refused as Problem);
    else this.dialog.close();
    if (saved.ok) {
      this.words = { subject: saved.value.subject, buttonText: saved.value.buttonText, message: saved.value.message };
      if (sent?.ok) this.emit("invitation-sent", { invitation: sent.value });
      else this.emit("invitation-edited", { invitation: saved.value });
    }
  }

  /** Enter in a one-line field never sends: a browser submits a form on it. */
  private noEnterSend(event: KeyboardEvent) {
    if (event.key === "Enter" && event.composedPath()[0] instanceof HTMLInputElement) event.preventDefault();
  }

  override render() {
    const t = this.t;
    const w = this.words;
    const input = (name: "subject" | "buttonText", max: number) =>
      field(
        name,
        t.term(name),
        undefined,
        (a) =>
          html`<input id=${name} name=${name} part="input" maxlength=${max} .value=${w?.[name] ?? ""} aria-describedby=${a.describedby} />`,
      );
    return html`<dialog part="dialog" aria-labelledby="words-title" aria-describedby="words-hint">
      <form class="root card" novalidate @submit=${this.submit} @keydown=${this.noEnterSend}>
        <h2 id="words-title">${t.term("title", this.invitation?.who ?? "")}</h2>
        <p id="words-hint" class="muted">${t.term("hint")}</p>
        ${
          w
            ? html`${input("subject", 200)} ${input("buttonText", 60)}
              ${field(
                "message",
                t.term("message"),
                undefined,
                (a) =>
                  html`<textarea id="message" name="message" part="input" rows="4" maxlength="5000" .value=${w.message ?? ""} aria-describedby=${a.describedby}></textarea>`,
                t.term("messageHint"),
              )}`
            : this.failure
              ? nothing
              : html`<p role="status">${t.term("loading")}</p>`
        }
        <p class="error" part="error" role="alert">${this.failure}</p>
        <div class="actions">
          ${
            w
              ? html`<button part="button" type="submit" value="send" ?disabled=${this.busy}>${t.term("saveAndSend")}</button>
                <button part="button" type="submit" value="save" class="secondary" ?disabled=${this.busy}>${t.term("save")}</button>`
              : nothing
          }
          <button part="button" type="button" class="secondary" @click=${() => this.dialog.close()}>${t.term("close")}</button>
        </div>
      </form>
    </dialog>`;
  }
}

define("rollcall-words", RollcallWords);

declare global {
  interface HTMLElementTagNameMap {
    "rollcall-words": RollcallWords;
  }
}
