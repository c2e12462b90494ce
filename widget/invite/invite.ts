// <rollcall-invite>: the provider's "+ Add participant" modal, inviting one person or up to 200 at once.

import { html, nothing } from "lit";
import { zonedToInstant } from "../../worker/admin/zoned-time";
import { isLocale, LOCALE_NAMES, LOCALES, type Locale } from "../../worker/i18n/locales";
import { type AddressProblem, emailKey } from "../../worker/recipients/address";
import { MAX_RECIPIENTS, parseRecipients } from "../../worker/recipients/parse";
import { formatInstant } from "../../worker/time/format";
import {
  type CreatedInvitations,
  client,
  type DiscountCode,
  type EmailPreview,
  type NewInvitations,
  type PreviewRequest,
  type Problem,
  type Shortfall,
} from "../api/client";
import { TokenSource } from "../api/tokens";
import { LocalizeController } from "../i18n/localize";
import { RollcallElement } from "../shared/element";
import { field } from "../shared/field";
import { providerStyles } from "../shared/provider.styles";
import { theme } from "../shared/theme";
import { inviteEn } from "./invite.en";
import { inviteFr } from "./invite.fr";
import { styles } from "./invite.styles";
import type { RollcallPicker } from "./picker";
import { labelOf, type Picked, recipientOf } from "./selection";

type Chip = { email: string; name: string | null; problem: AddressProblem | null };
type Step = "form" | "confirm" | "done";

/** The skipped addresses named in the result, in a list that stays short when 200 were. */
const SKIPPED_SHOWN = 10;

/**
 * "+ Add participant": a button that opens a modal to invite one person or up to 200 at once.
 * Pasted addresses become chips; invalid ones are marked, block sending, and can be edited in
 * place. A scheduled send is typed in the session's own time zone and said back in full. When the
 * invitations need more seats than are free, a confirmation step states the capacity change first.
 *
 * The discount code is chosen from the codes an invitation to this session may name now (GET
 * /v1/discount-codes?sessionId=…, fetched when the modal opens), or none.
 *
 * "Choose from your people" opens the participant picker, whose code loads then and not before:
 * the org's active contacts searched by name or email, filtered by group, type and tag, chosen one
 * by one or a whole group at once. The people chosen count with the addresses against the limit
 * of 200 and are sent with them.
 *
 * @summary Invite people to a session (provider side).
 * @tag rollcall-invite
 *
 * @attr session - The session id (`ses_…`).
 * @attr token - A widget token (from POST /v1/widget-tokens).
 * @attr token-url - A URL on your own backend answering `{token, expiresAt}`; used when `token` is absent,
 *   fetched again a minute before expiry.
 * @attr trust-api - Present: a token from `token-url` may go to `api` even when `api` is neither the token URL's
 *   origin nor the one this script came from. Only for an `api` you set yourself, never one taken from a link.
 * @attr api - Base URL of the Rollcall API. Defaults to the origin the script was loaded from.
 * @attr locale - `en` or `fr`: the dialog's language. Defaults to the page's `lang`.
 * @attr invitation-locale - `en` or `fr`: the invitations' language chosen first in the dialog ("Language of the
 *   invitation"), for people without one of their own (a contact's own language wins). Defaults to `locale`.
 * @attr time-zone - The session's IANA time zone, in which a scheduled send is typed. When absent,
 *   read from the session's public page on opening (the roster sets it).
 *
 * @slot - Replaces the text of the button that opens the modal.
 *
 * @fires {CustomEvent<RollcallEvents["invited"]>} rollcall-invited - Invitations were created. `detail`: the API's 201 body `{invitations, skipped, seats, capacityRaisedBy}`.
 * @fires {CustomEvent<RollcallEvents["error"]>} rollcall-error - The API refused a request. `detail: {code, detail}`.
 * @fires {CustomEvent<RollcallEvents["picked"]>} rollcall-picked - People were chosen in the picker (or the choice removed). `detail`: `{contactIds, groupIds,
 *   people, recipients, count, withoutEmail, unlisted}`: the contacts and whole groups chosen (their ids), everyone they
 *   come to once each (`{id, name, email}`), and those with an address as `recipients`. The invitations go to the ids.
 *
 * @csspart button - Every button (the opener included).
 * @csspart dialog - The native `<dialog>`.
 * @csspart form - The form in the dialog.
 * @csspart recipients - The box holding the address chips and the field to type or paste into.
 * @csspart chip - One address.
 * @csspart chip-invalid - An address that is not valid (also carries `chip`).
 * @csspart count - The count against the limit of 200.
 * @csspart picker - The participant picker's element (`<rollcall-picker>`, once opened), showing the people chosen as a chip.
 * @csspart label - Field labels.
 * @csspart input - Fields.
 * @csspart error - Error messages.
 * @csspart preview - The email preview (a sandboxed iframe).
 *
 * @cssprop [--rollcall-accent=#1d4ed8] - Buttons and focus ring.
 * @cssprop [--rollcall-on-accent=#ffffff] - Text on accent-coloured buttons.
 * @cssprop [--rollcall-surface=#ffffff] - Dialog background.
 * @cssprop [--rollcall-text=#1c1f26] - Text colour.
 * @cssprop [--rollcall-muted=#4b5563] - Secondary text.
 * @cssprop [--rollcall-border=#c4c9d2] - Borders.
 * @cssprop [--rollcall-danger=#b42318] - Invalid addresses and errors.
 * @cssprop [--rollcall-success=#0f6b3a] - Confirmation.
 * @cssprop [--rollcall-radius=8px] - Corner radius.
 * @cssprop [--rollcall-font=system-ui, sans-serif] - Font family.
 * @cssprop [--rollcall-font-size=16px] - Base font size.
 */
export class RollcallInvite extends RollcallElement {
  static override styles = [theme, providerStyles, styles];
  static override properties = {
    session: { reflect: true },
    token: {},
    tokenUrl: { attribute: "token-url" },
    trustApi: { type: Boolean, attribute: "trust-api" },
    timeZone: { attribute: "time-zone" },
    invitationLocale: { attribute: "invitation-locale" },
    step: { state: true },
    editing: { state: true },
    sendAt: { state: true },
    chips: { state: true },
    mode: { state: true },
    errors: { state: true },
    formError: { state: true },
    busy: { state: true },
    preview: { state: true },
    shortfall: { state: true },
    result: { state: true },
    picked: { state: true },
    picker: { state: true },
    discounts: { state: true },
  };

  declare session: string | undefined;
  declare token: string | undefined;
  declare tokenUrl: string | undefined;
  declare trustApi: boolean;
  declare timeZone: string | undefined;
  declare invitationLocale: string | undefined;
  declare private step: Step;
  /** The chip being edited in place. */
  declare private editing: number | undefined;
  /** The scheduled send as typed, turned into an instant in the session's zone. */
  declare private sendAt: string | null;
  declare private chips: Chip[];
  declare private mode: "now" | "later" | "schedule";
  declare private errors: Partial<Record<"recipients" | "sendAt", string>>;
  declare private formError: string;
  declare private busy: boolean;
  declare private preview: EmailPreview | string | undefined;
  declare private shortfall: Shortfall | undefined;
  declare private result: CreatedInvitations | undefined;
  /** What the picker chose. */
  declare private picked: Picked | undefined;
  /** Whether the picker (its chunk loaded) is in the form. */
  declare private picker: boolean;
  /** The org's active discount codes, once fetched. */
  declare private discounts: DiscountCode[] | undefined;
  // Both languages in the chunk: a provider's page is not on the public page's budget.
  protected readonly t = new LocalizeController(this, { en: inviteEn, fr: inviteFr });
  private readonly tokens = new TokenSource(() => this);
  private previewTimer: ReturnType<typeof setTimeout> | undefined;
  /** The session's zone from its public page, when no `time-zone` was given. */
  private publicZone: string | undefined;

  constructor() {
    super();
    this.trustApi = false;
    this.reset();
  }

  private reset() {
    this.step = "form";
    this.chips = [];
    this.editing = undefined;
    this.sendAt = null;
    this.mode = "now";
    this.errors = {};
    this.formError = "";
    this.busy = false;
    this.preview = undefined;
    this.shortfall = undefined;
    this.result = undefined;
    this.picked = undefined;
    this.picker = false;
  }

  /** The invitations' language chosen first: invitation-locale, else the dialog's. */
  private get invitationLanguage(): Locale {
    return isLocale(this.invitationLocale) ? this.invitationLocale : this.t.language;
  }

  private get http() {
    return client(this.base, this.tokens.fetch);
  }

  private get dialog() {
    return this.renderRoot.querySelector("dialog")!;
  }

  private $<T extends HTMLElement = HTMLInputElement>(selector: string) {
    return this.renderRoot.querySelector<T>(selector);
  }

  override render() {
    return html`<span class="root opener">
        <button part="button" class="secondary" aria-haspopup="dialog" @click=${this.show}>
          <slot>${this.t.term("addParticipant")}</slot>
        </button>
      </span>
      <dialog part="dialog" aria-labelledby="title" @close=${this.closed}>
        <div class="root card">
          <h2 id="title">${this.t.term(this.step === "confirm" ? "capacityTitle" : "addParticipants")}</h2>
          ${this.form()} ${this.step === "done" ? this.done() : this.step === "confirm" ? this.confirm() : nothing}
        </div>
      </dialog>`;
  }

  private form() {
    const t = this.t;
    const valid = this.total;
    const hint = t.term("recipientsHint");
    // Kept in the page (hidden) on the other steps: the confirmation resends its values.
    return html`<form part="form" novalidate ?hidden=${this.step !== "form"} @submit=${this.submit} @input=${this.schedulePreview} @keydown=${this.noEnterSend}>
      ${field(
        "recipients",
        t.term("recipients"),
        this.errors.recipients,
        (a) => html`<div part="recipients" class="recipients" @click=${this.focusRecipients}>
          <ul class="chips" aria-label=${t.term("recipients")}>
            ${this.chips.map((c, i) => {
              const label = c.name ? `${c.name} <${c.email}>` : c.email;
              if (this.editing === i)
                return html`<li class="chip editing">
                  <input class="chip-edit" aria-label=${t.term("editAddress", label)} .value=${label} @keydown=${this.editKeyed} @blur=${this.editDone} />
                </li>`;
              return html`<li part=${c.problem ? "chip chip-invalid" : "chip"} class=${c.problem ? "chip invalid" : "chip"}>
                ${c.problem ? html`<span aria-hidden="true">⚠</span>` : nothing}
                ${
                  c.problem
                    ? html`<button type="button" class="edit" title=${t.term("editAddress", label)} @click=${() => this.edit(i)}><span>${label}</span><span class="sr-only">(${t.term("invalidAddress")}) · ${t.term("edit")}</span></button>`
                    : html`<span>${label}</span>`
                }
                <button type="button" class="x" aria-label=${t.term("removeAddress", label)} @click=${() => this.removeChip(i)}>×</button>
              </li>`;
            })}
          </ul>
          <input
            id="recipients"
            part="input"
            autofocus
            autocomplete="off"
            aria-invalid=${a.invalid}
            aria-describedby="${a.describedby} count"
            @paste=${this.pasted}
            @keydown=${this.keyed}
            @input=${this.typed}
            @blur=${this.commitDraft}
          />
        </div>`,
        hint,
      )}
      <p id="count" part="count" class=${valid > MAX_RECIPIENTS ? "error count" : "muted count"}>${t.term("count", valid, MAX_RECIPIENTS)}</p>
      <p class="check">
        ${
          this.picker
            ? html`<rollcall-picker
                part="picker"
                api=${this.base}
                locale=${this.t.language}
                .request=${this.tokens.fetch}
                @rollcall-picked=${this.pickedSome}
              ></rollcall-picker>`
            : nothing
        }
        <button type="button" class="secondary small" aria-haspopup="dialog" @click=${this.pick}>${t.term("choose")}</button>
      </p>
      <div class="row">
      ${field(
        "discount",
        t.term("discountCode"),
        undefined,
        (a) => html`<select id="discount" name="discountCode" part="input" aria-describedby=${a.describedby}>
          <option value="">${t.term("noDiscount")}</option>
          ${(this.discounts ?? []).map((d) => html`<option value=${d.code}>${this.discountLabel(d)}</option>`)}
        </select>`,
      )}
      ${field(
        "expires",
        t.term("expiresInDays"),
        undefined,
        (a) =>
          html`<input id="expires" name="expiresInDays" part="input" type="number" min="1" max="365" value="14" aria-describedby=${a.describedby} />`,
      )}
      </div>
      <p class="check"><input type="checkbox" id="hold" name="holdSeat" checked /> <label for="hold">${t.term("holdSeat")}</label></p>
      <p class="check">
        <input type="checkbox" id="requireEmailMatch" name="requireEmailMatch" aria-describedby="requireEmailMatch-hint" />
        <label for="requireEmailMatch">${t.term("requireEmailMatch")}</label>
      </p>
      <p id="requireEmailMatch-hint" class="muted hint">${t.term("requireEmailMatchHint")}</p>
      <fieldset>
        <legend>${t.term("when")}</legend>
        ${(["now", "later", "schedule"] as const).map(
          (mode) => html`<p class="check">
            <input type="radio" id="mode-${mode}" name="mode" value=${mode} .checked=${this.mode === mode} @change=${() => this.choose(mode)} />
            <label for="mode-${mode}">${t.term(mode === "now" ? "sendNow" : mode === "later" ? "sendLater" : "schedule")}</label>
          </p>`,
        )}
        ${
          this.mode === "schedule"
            ? field(
                "sendAt",
                t.term("scheduleAt", this.zone),
                this.errors.sendAt,
                (a) =>
                  html`<input id="sendAt" name="sendAt" part="input" type="datetime-local" aria-invalid=${a.invalid} aria-describedby="${a.describedby} sendAt-when" @input=${this.scheduled} />
                    <span id="sendAt-when" class="muted when" aria-live="polite">${this.sendAt ? t.term("goesAt", formatInstant(this.sendAt, this.zone, t.lang)) : ""}</span>`,
              )
            : nothing
        }
      </fieldset>
      ${field(
        "language",
        t.term("language"),
        undefined,
        (a) => html`<select id="language" name="locale" part="input" aria-describedby=${a.describedby}>
          ${LOCALES.map((l) => html`<option value=${l} lang=${l} ?selected=${l === this.invitationLanguage}>${LOCALE_NAMES[l]}</option>`)}
        </select>`,
        t.term("languageHint"),
      )}
      <div class="row">
      ${field("subject", t.term("subject"), undefined, (a) => html`<input id="subject" name="subject" part="input" maxlength="200" aria-describedby=${a.describedby} />`)}
      ${field("buttonText", t.term("buttonText"), undefined, (a) => html`<input id="buttonText" name="buttonText" part="input" maxlength="60" aria-describedby=${a.describedby} />`)}
      </div>
      ${field("message", t.term("message"), undefined, (a) => html`<textarea id="message" name="message" part="input" rows="3" aria-describedby=${a.describedby}></textarea>`)}
      <details part="preview" @toggle=${this.schedulePreview}>
        <summary>${t.term("preview")}</summary>
        ${
          typeof this.preview === "string"
            ? html`<p class="error">${this.preview}</p>`
            : this.preview
              ? html`<p><strong>${this.preview.subject}</strong></p>
                <iframe sandbox="" title=${t.term("previewTitle")} srcdoc=${this.preview.html}></iframe>`
              : html`<p role="status">${t.term("loading")}</p>`
        }
      </details>
      <p class="error" part="error" role="alert">${this.formError}</p>
      <div class="actions">
        <button part="button" type="submit" ?disabled=${this.busy}>${t.term(this.mode === "later" ? "save" : "send")}</button>
        <button part="button" type="button" class="secondary" @click=${this.hide}>${t.term("cancel")}</button>
      </div>
    </form>`;
  }

  private confirm() {
    const s = this.shortfall!;
    const to = s.capacity + s.requested - s.available;
    return html`<p role="alert" class="change">${this.t.term("capacityChange", s.requested, s.available, s.capacity, to)}</p>
      <p class="error" part="error">${this.formError}</p>
      <div class="actions">
        <button part="button" class="next" ?disabled=${this.busy} @click=${() => this.send(true)}>${this.t.term(this.mode === "later" ? "raiseAndSave" : "raiseAndSend")}</button>
        <button part="button" class="secondary" @click=${() => this.go("form")}>${this.t.term("back")}</button>
      </div>`;
  }

  private done() {
    const r = this.result!;
    const skipped = r.skipped;
    return html`<div role="status" class="message">
        <p><strong class=${r.invitations.length ? "sent" : ""}>${this.t.term("created", r.invitations.length)}</strong></p>
        ${
          // Each address skipped and why; of many, the first few and how many more (all are in the event's detail).
          skipped.length
            ? html`<p>${this.t.term("skipped", skipped.length)}</p>
              <ul>
                ${skipped.slice(0, SKIPPED_SHOWN).map((s) => html`<li>${this.t.term("skippedAs", this.whoSkipped(s), s.reason)}</li>`)}
                ${skipped.length > SKIPPED_SHOWN ? html`<li>${this.t.term("moreSkipped", skipped.length - SKIPPED_SHOWN)}</li>` : nothing}
              </ul>`
            : nothing
        }
        ${r.capacityRaisedBy ? html`<p>${this.t.term("raised", r.capacityRaisedBy)}</p>` : nothing}
      </div>
      <div class="actions"><button part="button" class="next" @click=${this.hide}>${this.t.term("close")}</button></div>`;
  }

  /** Moves to a step and puts focus on its first action, so keyboard users are not left on a hidden button. */
  private async go(step: Step) {
    this.step = step;
    await this.updateComplete;
    this.$(step === "form" ? "#recipients" : ".next")?.focus();
  }

  private opener() {
    return this.$<HTMLButtonElement>(".opener button");
  }

  /** Opens the modal; the browser puts focus on the first field (autofocus). */
  show() {
    if (this.step === "done") this.reset();
    this.dialog.showModal();
    void this.loadDiscounts();
  }

  /** The codes this session's invitations may name, for the discount select (once; without them, only "No discount"). */
  private async loadDiscounts() {
    if (this.discounts) return;
    const result = await this.http.call("/v1/discount-codes", "$get", { query: { sessionId: this.session! } });
    if (result.ok) this.discounts = result.value.discountCodes;
  }

  /** "EARLY10 (10% off)", "SUMMER (€5.00 off)", in the element's language. */
  private discountLabel(d: DiscountCode) {
    const lang = this.t.lang;
    if (d.percentOff != null)
      return this.t.term("percentOff", d.code, new Intl.NumberFormat(lang, { style: "percent" }).format(d.percentOff / 100));
    const money = new Intl.NumberFormat(lang, { style: "currency", currency: d.currency ?? "EUR" });
    const digits = money.resolvedOptions().maximumFractionDigits ?? 2;
    return this.t.term("amountOff", d.code, money.format((d.amountOff ?? 0) / 10 ** digits));
  }

  private choose(mode: "now" | "later" | "schedule") {
    this.mode = mode;
    if (mode === "schedule") void this.loadZone();
  }

  /** The zone a scheduled send is typed in: the session's, else (unknown yet) the browser's. */
  private get zone(): string {
    return this.timeZone || this.publicZone || Intl.DateTimeFormat().resolvedOptions().timeZone;
  }

  /** Without `time-zone`, the session's zone from its public page (once). */
  private async loadZone() {
    if (this.timeZone || this.publicZone || !this.session) return;
    const result = await client(this.base).call("/v1/public/sessions/:id", "$get", { param: { id: this.session } });
    if (result.ok) {
      this.publicZone = result.value.timeZone;
      this.scheduled();
      this.requestUpdate();
    }
  }

  /** The scheduled send as typed, read in the session's zone. */
  private scheduled() {
    const typed = this.$("#sendAt")?.value;
    this.sendAt = typed ? zonedToInstant(typed, this.zone) : null;
  }

  hide() {
    this.dialog.close();
  }

  private closed() {
    if (this.step !== "form") this.reset();
    this.opener()?.focus();
  }

  /** The participant picker: its chunk loads the first time it is opened. */
  private async pick() {
    try {
      await import("./picker");
    } catch {
      this.formError = this.t.term("error");
      return;
    }
    this.picker = true;
    await this.updateComplete;
    void this.$<RollcallPicker>("rollcall-picker")?.show();
  }

  private pickedSome(event: CustomEvent<Picked>) {
    this.picked = event.detail.count ? event.detail : undefined;
    this.validateRecipients();
  }

  /** A skipped person as the provider knows them: a contact chosen by id by their name (they may have no address), else the address. */
  private whoSkipped(skipped: CreatedInvitations["skipped"][number]): string {
    const person = skipped.contactId ? this.picked?.people.find((p) => p.id === skipped.contactId) : undefined;
    return person ? labelOf(person) : skipped.email;
  }

  /** Everyone the invitations would go to, once each: the valid addresses and the people chosen. */
  private get total(): number {
    const keys = new Set(this.chips.filter((c) => !c.problem).map((c) => emailKey(c.email)));
    const picked = this.picked;
    for (const person of picked?.people ?? []) if (person.email) keys.add(emailKey(person.email));
    return keys.size + (picked ? picked.withoutEmail + picked.unlisted : 0);
  }

  // Recipients: what is typed or pasted becomes chips, parsed by the server's own rule.
  private add(text: string) {
    const seen = new Set(this.chips.map((c) => emailKey(c.email)));
    const fresh = this.chipsOf(text).filter((c) => !seen.has(emailKey(c.email)) && seen.add(emailKey(c.email)));
    if (fresh.length) this.chips = [...this.chips, ...fresh];
    this.validateRecipients();
  }

  /** Text as chips, in the order written, valid or not (the server's own parser). */
  private chipsOf(text: string): Chip[] {
    const parsed = parseRecipients(text);
    return [
      ...parsed.recipients.map((r) => ({ position: r.position, chip: { email: r.email, name: r.name, problem: null } })),
      ...parsed.invalid.map((e) => ({ position: e.position, chip: { email: e.entry, name: null, problem: e.problem } })),
    ]
      .sort((a, b) => a.position - b.position)
      .map((e) => e.chip);
  }

  /** A click on the box, not on a chip's button or field, goes to the field to type in. */
  private focusRecipients(event: MouseEvent) {
    if (!(event.target as Element).closest("button, input")) this.$("#recipients")?.focus();
  }

  private removeChip(index: number) {
    this.chips = this.chips.filter((_, i) => i !== index);
    this.validateRecipients();
    this.$("#recipients")?.focus();
  }

  /** An invalid address becomes a field of its own, to mend in place. */
  private async edit(index: number) {
    this.editing = index;
    await this.updateComplete;
    this.$<HTMLInputElement>(".chip-edit")?.focus();
  }

  private editKeyed(event: KeyboardEvent) {
    if (event.key === "Enter") {
      event.preventDefault();
      (event.currentTarget as HTMLInputElement).blur();
    } else if (event.key === "Escape") {
      // Escape leaves the address as it was (and the dialog open).
      event.preventDefault();
      event.stopPropagation();
      this.editing = undefined;
      void this.updateComplete.then(() => this.$("#recipients")?.focus());
    }
  }

  /** The mended text replaces the chip where it stood: as one address or more, valid or still not, or none. */
  private editDone(event: FocusEvent) {
    const index = this.editing;
    if (index === undefined) return;
    this.editing = undefined;
    const text = (event.currentTarget as HTMLInputElement).value;
    const others = this.chips.filter((_, i) => i !== index);
    const seen = new Set(others.map((c) => emailKey(c.email)));
    const mended = this.chipsOf(text).filter((c) => !seen.has(emailKey(c.email)) && seen.add(emailKey(c.email)));
    this.chips = [...others.slice(0, index), ...mended, ...others.slice(index)];
    this.validateRecipients();
    void this.updateComplete.then(() => this.$("#recipients")?.focus());
  }

  private validateRecipients(submitting = false) {
    const invalid = this.chips.filter((c) => c.problem).length;
    const valid = this.total;
    const message = invalid
      ? this.t.term("invalidCount", invalid)
      : valid > MAX_RECIPIENTS
        ? this.t.term("tooMany", MAX_RECIPIENTS)
        : submitting && !valid
          ? this.t.term("noRecipients")
          : undefined;
    this.errors = { ...this.errors, recipients: message };
    return !message;
  }

  private pasted(event: ClipboardEvent) {
    event.preventDefault();
    const input = event.currentTarget as HTMLInputElement;
    this.add(`${input.value}\n${event.clipboardData?.getData("text") ?? ""}`);
    input.value = "";
  }

  private keyed(event: KeyboardEvent) {
    const input = event.currentTarget as HTMLInputElement;
    // Enter here only makes a chip of what is typed, never submits: pressed once more after the
    // chip (or into an empty field) it would send every invitation. Only the Send button sends.
    if (event.key === "Enter" || (event.key === "," && input.value.trim())) {
      event.preventDefault();
      this.commitDraft();
    } else if (event.key === "Backspace" && !input.value && this.chips.length) {
      this.removeChip(this.chips.length - 1);
    }
  }

  private typed(event: Event) {
    const value = (event.currentTarget as HTMLInputElement).value;
    if (/[,;\n]/.test(value) || (/\s$/.test(value) && value.includes("@") && !value.includes("<"))) this.commitDraft();
  }

  private commitDraft() {
    const input = this.$("#recipients");
    if (input?.value.trim()) this.add(input.value);
    if (input) input.value = "";
  }

  // The rest of the form.
  private values(allowOverCapacity = false): NewInvitations {
    const form = new FormData(this.$<HTMLFormElement>("form") ?? undefined);
    const text = (name: string) => String(form.get(name) ?? "").trim() || undefined;
    const days = Number(text("expiresInDays"));
    const chosenLocale = form.get("locale");
    const picked = this.picked;
    return {
      recipients: this.chips.map((c) => recipientOf(c.name, c.email)),
      // The people chosen in the picker go by id: the server reads a group's members as it sends,
      // and names a contact it skips (no address, deactivated) by its id.
      ...(picked?.contactIds.length ? { contactIds: picked.contactIds } : {}),
      ...(picked?.groupIds.length ? { groupIds: picked.groupIds } : {}),
      holdSeat: form.has("holdSeat"),
      discountCode: text("discountCode"),
      send: this.mode === "later" ? "later" : "now",
      sendAt: this.mode === "schedule" && this.sendAt ? this.sendAt : undefined,
      expiresInDays: days > 0 ? days : undefined,
      subject: text("subject"),
      buttonText: text("buttonText"),
      message: text("message"),
      locale: isLocale(chosenLocale) ? chosenLocale : this.invitationLanguage,
      ...(form.has("requireEmailMatch") ? { requireEmailMatch: true } : {}),
      ...(allowOverCapacity ? { allowOverCapacity } : {}),
    };
  }

  /** The preview follows the subject, button text and message, a moment after typing stops. */
  private schedulePreview() {
    clearTimeout(this.previewTimer);
    if (!this.$<HTMLDetailsElement>("details")?.open) return;
    this.previewTimer = setTimeout(async () => {
      // The body that would create the invitations: the preview route takes the same schema.
      const body: PreviewRequest = this.values();
      const result = await this.http.call("/v1/sessions/:id/invitations/preview", "$post", {
        param: { id: this.session ?? "" },
        json: body,
      });
      this.preview = result.ok ? result.value : this.t.problem(result.problem);
    }, 300);
  }

  /**
   * Enter in a one-line field (the subject, the days, a box) never sends: a browser submits a form
   * from any of them, and this one emails up to 200 people. Only the button sends.
   */
  private noEnterSend(event: KeyboardEvent) {
    if (event.key === "Enter" && event.composedPath()[0] instanceof HTMLInputElement) event.preventDefault();
  }

  private async submit(event: SubmitEvent) {
    event.preventDefault();
    this.commitDraft();
    const recipientsOk = this.validateRecipients(true);
    this.scheduled();
    const scheduleOk = this.mode !== "schedule" || (!!this.sendAt && Date.parse(this.sendAt) > Date.now());
    this.errors = { ...this.errors, sendAt: scheduleOk ? undefined : this.t.term("scheduleFuture") };
    if (!recipientsOk || !scheduleOk) {
      await this.updateComplete;
      this.$(recipientsOk ? "#sendAt" : "#recipients")?.focus();
      return;
    }
    await this.send(false);
  }

  private async send(allowOverCapacity: boolean) {
    if (this.busy || !this.session) return;
    this.busy = true;
    this.formError = "";
    const result = await this.http.call("/v1/sessions/:id/invitations", "$post", {
      param: { id: this.session },
      json: this.values(allowOverCapacity),
    });
    this.busy = false;
    if (result.ok) {
      this.result = result.value;
      void this.go("done");
      this.emit("invited", result.value);
      return;
    }
    const problem = result.problem;
    if (problem.code === "capacity_full" && !allowOverCapacity && typeof problem.requested === "number") {
      this.shortfall = problem as Problem & Shortfall;
      void this.go("confirm");
      return;
    }
    const message = this.fail(problem);
    if (problem.code === "invalid_emails" && problem.errors) {
      const wrong = new Map(problem.errors.map((e) => [(e.position ?? 0) - 1, e.problem ?? "bad_domain"]));
      this.chips = this.chips.map((c, i) => (wrong.has(i) ? { ...c, problem: wrong.get(i)! } : c));
      void this.go("form");
      this.validateRecipients();
    } else if (problem.code === "too_many_recipients") {
      void this.go("form");
      this.errors = { ...this.errors, recipients: message };
    } else this.formError = message;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "rollcall-invite": RollcallInvite;
  }
}
