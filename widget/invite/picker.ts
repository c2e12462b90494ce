// <rollcall-picker>: the participant picker of <rollcall-invite>, a chunk of its own that the invite
// modal imports the first time a provider chooses from their people. A modal dialog over the
// invite's: search as you type, filters, a multi-select list (the ARIA listbox pattern) and whole
// groups. What is chosen is a Selection (selection.ts), turned into the `rollcall-picked` event's
// detail when the provider is done; outside the dialog the element shows it as one chip.

import { html, nothing } from "lit";
import { MAX_RECIPIENTS } from "../../worker/recipients/parse";
import { type Body, network, type Result, type SignedInit, settle } from "../api/client";
import { LocalizeController } from "../i18n/localize";
import { define, RollcallElement } from "../shared/element";
import { providerStyles } from "../shared/provider.styles";
import { theme } from "../shared/theme";
import { pickerEn } from "./picker.en";
import { pickerFr } from "./picker.fr";
import { styles } from "./picker.styles";
import {
  addContacts,
  type Contact,
  EMPTY,
  type Group,
  labelOf,
  personOf,
  picked,
  type Selection,
  setGroup,
  toggleContact,
} from "./selection";

type ContactList = Body<"/v1/contacts", "$get">;
type Filters = { q?: string; group?: string; type?: string; tag?: string };

/** How long typing pauses before a search goes out. */
export const SEARCH_DELAY_MS = 250;
const PAGE = 50;

/**
 * The participant picker of `<rollcall-invite>`: the org's active contacts, searched by name or
 * email as you type and filtered by group, type and tag, chosen one by one (checkboxes, "select all
 * N matching") or a whole group at once, counted against the limit of 200. Rendered by the invite
 * modal, which loads its code on first use; not meant to be placed on a page by itself.
 *
 * `show()` opens it as a modal dialog. Done keeps the choice and fires `rollcall-picked`; Back or
 * Escape leaves it as it was. Outside the dialog, what was chosen is one chip with a remove button.
 *
 * The list is an ARIA multi-select listbox: Up and Down move, Home and End jump, Space or Enter
 * selects or clears the person, Shift with Up or Down moves and selects, Control+A selects every
 * person listed. Down in the search field goes to the list. A polite live region says how many
 * match and what each choice brings the count to.
 *
 * @fires {CustomEvent<RollcallEvents["picked"]>} rollcall-picked - Done, or the chip removed: `detail` is what is chosen (selection.ts `Picked`): `contactIds`,
 *   `groupIds`, `people`, `recipients` (each person with an address, as `"Name" <address>`), `count`, `withoutEmail`, `unlisted`.
 * @fires {CustomEvent<RollcallEvents["error"]>} rollcall-error - The API refused a request. `detail: {code, detail}`.
 */
export class RollcallPicker extends RollcallElement {
  static override styles = [theme, providerStyles, styles];
  static override properties = {
    request: { attribute: false },
    results: { state: true },
    total: { state: true },
    nextCursor: { state: true },
    loading: { state: true },
    failure: { state: true },
    groups: { state: true },
    selection: { state: true },
    confirmed: { state: true },
    pending: { state: true },
    active: { state: true },
    announcement: { state: true },
  };

  /** How the picker fetches: the invite modal's fetch, which signs with the provider's token. */
  declare request: (url: string, init: SignedInit) => Promise<Response>;
  declare private results: Contact[];
  declare private total: number;
  declare private nextCursor: string | null;
  declare private loading: boolean;
  declare private failure: string;
  declare private groups: Group[];
  /** What is chosen in the dialog; `confirmed` is what it was when the provider was last done. */
  declare private selection: Selection;
  declare private confirmed: Selection;
  /** Groups chosen whose members are still being fetched. */
  declare private pending: ReadonlySet<string>;
  /** The option the keyboard is on (aria-activedescendant), or -1. */
  declare private active: number;
  declare private announcement: string;
  protected readonly t = new LocalizeController(this, { en: pickerEn, fr: pickerFr });
  /** The filters of the results shown: "select all matching" and "show more" ask with them. */
  private shown: Filters = {};
  private timer: ReturnType<typeof setTimeout> | undefined;
  private searching: AbortController | undefined;
  /** Types and tags seen in the directory so far, offered as the filters' suggestions. */
  private readonly types = new Set<string>();
  private readonly tags = new Set<string>();

  constructor() {
    super();
    this.request = (url, init) => fetch(url, init);
    this.results = [];
    this.total = 0;
    this.nextCursor = null;
    this.loading = true;
    this.failure = "";
    this.groups = [];
    this.selection = EMPTY;
    this.confirmed = EMPTY;
    this.pending = new Set();
    this.active = -1;
    this.announcement = "";
  }

  /** What was chosen, as of the last Done (the `rollcall-picked` detail). */
  get value() {
    return picked(this.confirmed);
  }

  protected override firstUpdated() {
    void this.search();
    void this.loadGroups();
  }

  /** What is chosen in the dialog, not yet kept. */
  private get chosen() {
    return picked(this.selection);
  }

  private get dialog() {
    return this.renderRoot.querySelector("dialog")!;
  }

  /** Opens the picker as a modal dialog, focus in the search field. */
  async show() {
    await this.updateComplete;
    this.dialog.showModal();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    clearTimeout(this.timer);
    this.searching?.abort();
  }

  /** Closed by Back or Escape (or Done, once the choice is kept): the choice is the one last kept. */
  private closed() {
    this.selection = this.confirmed;
    this.pending = new Set();
  }

  private done() {
    this.confirmed = this.selection;
    this.emit("picked", this.value);
    this.dialog.close();
  }

  /** The chip's remove button: nothing chosen. */
  private unpick() {
    this.confirmed = this.selection = EMPTY;
    this.emit("picked", this.value);
  }

  private $<T extends HTMLElement = HTMLInputElement>(selector: string) {
    return this.renderRoot.querySelector<T>(selector);
  }

  /**
   * A GET of the API with a query; the answer, the API's problem, or "network". Beside the typed
   * client (api/client.ts), which has neither a query string nor an abort signal: giving it both
   * would grow the chunk every public page loads, 79 bytes under its budget.
   */
  private async get<T>(path: string, query: Record<string, string | undefined>, signal?: AbortSignal): Promise<Result<T>> {
    const params = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => !!e[1]));
    try {
      return await settle<T>(await this.request(`${this.base}${path}?${params}`, { method: "GET", headers: {}, signal }));
    } catch (error) {
      return network(error);
    }
  }

  private filters(): Filters {
    const value = (id: string) => this.$<HTMLInputElement | HTMLSelectElement>(`#${id}`)?.value.trim() || undefined;
    return { q: value("q"), group: value("group"), type: value("type"), tag: value("tag") };
  }

  /** A search once typing pauses. */
  private searchSoon() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.search(), SEARCH_DELAY_MS);
  }

  /** The first page for the filters as they are now, or the next page of those shown; a newer search cancels an older one. */
  private async search(more = false) {
    clearTimeout(this.timer);
    this.searching?.abort();
    const searching = new AbortController();
    this.searching = searching;
    const filters = more ? this.shown : this.filters();
    this.loading = true;
    const result = await this.get<ContactList>(
      "/v1/contacts",
      { ...filters, status: "active", limit: String(PAGE), cursor: more ? (this.nextCursor ?? undefined) : undefined },
      searching.signal,
    );
    // An answer to a search that a newer one replaced is not shown.
    if (searching.signal.aborted) return;
    this.loading = false;
    if (!result.ok) {
      this.failure = this.fail(result.problem);
      return;
    }
    this.failure = "";
    const { contacts, total, nextCursor } = result.value;
    this.remember(contacts);
    const from = more ? this.results.length : 0;
    this.results = more ? [...this.results, ...contacts] : contacts;
    this.total = total;
    this.nextCursor = nextCursor;
    this.shown = filters;
    if (more) {
      this.active = Math.min(from, this.results.length - 1);
      await this.updateComplete;
      this.$("[role=listbox]")?.focus();
      this.reveal();
    } else {
      this.active = -1;
      this.announcement = this.t.term("matches", total);
    }
  }

  private remember(contacts: Contact[]) {
    for (const c of contacts) {
      this.types.add(c.type);
      for (const tag of c.tags) this.tags.add(tag);
    }
  }

  private async loadGroups() {
    const result = await this.get<Body<"/v1/groups", "$get">>("/v1/groups", {});
    if (result.ok) this.groups = result.value.groups;
  }

  // Choosing.
  private say(on: boolean, who: string) {
    this.announcement = this.t.term(on ? "added" : "removed", who, this.chosen.count, MAX_RECIPIENTS);
  }

  private toggle(index: number, on?: boolean) {
    const contact = this.results[index];
    if (!contact) return;
    const person = personOf(contact);
    this.selection = toggleContact(this.selection, person, on);
    this.say(this.selection.contacts.has(person.id), labelOf(person));
  }

  /** Every person matching the filters shown (at most the limit): those listed, or one page of them all. */
  private async selectAll() {
    let everyone = this.results;
    if (this.nextCursor) {
      const result = await this.get<ContactList>("/v1/contacts", { ...this.shown, status: "active", limit: String(MAX_RECIPIENTS) });
      if (!result.ok) {
        this.failure = this.fail(result.problem);
        return;
      }
      everyone = result.value.contacts;
      this.remember(everyone);
    }
    this.selection = addContacts(this.selection, everyone.map(personOf));
    this.say(true, this.t.term("people", everyone.length));
  }

  private clear() {
    this.selection = EMPTY;
    this.pending = new Set();
    this.announcement = this.t.term("chosen", 0, MAX_RECIPIENTS);
  }

  /** A whole group in or out; in, once its active members are fetched (to count each person once). */
  private async toggleGroup(group: Group, on: boolean) {
    const label = this.t.term("groupChoice", group.name, group.memberCount);
    const pending = new Set(this.pending);
    pending.delete(group.id);
    if (!on) {
      this.pending = pending;
      this.selection = setGroup(this.selection, group.id, null);
      this.say(false, label);
      return;
    }
    this.pending = new Set(pending).add(group.id);
    const result = await this.get<ContactList>(`/v1/groups/${encodeURIComponent(group.id)}/members`, {
      status: "active",
      limit: String(MAX_RECIPIENTS),
    });
    // Unchecked (or cleared) while its members were on their way.
    if (!this.pending.has(group.id)) return;
    const after = new Set(this.pending);
    after.delete(group.id);
    this.pending = after;
    if (!result.ok) {
      this.failure = this.fail(result.problem);
      return;
    }
    const { contacts, total } = result.value;
    this.selection = setGroup(this.selection, group.id, { id: group.id, name: group.name, total, members: contacts.map(personOf) });
    this.say(true, this.t.term("groupChoice", group.name, total));
  }

  // The keyboard, as in the ARIA listbox pattern (multi-select).
  private move(index: number) {
    this.active = Math.max(0, Math.min(index, this.results.length - 1));
    void this.updateComplete.then(() => this.reveal());
  }

  private reveal() {
    this.$(".option.active")?.scrollIntoView({ block: "nearest" });
  }

  private listKeyed(event: KeyboardEvent) {
    const { key, shiftKey } = event;
    const last = this.results.length - 1;
    if (key === "ArrowDown" || key === "ArrowUp") {
      const next = this.active + (key === "ArrowDown" ? 1 : -1);
      if (next > last && this.nextCursor && !this.loading) void this.search(true);
      this.move(next);
      if (shiftKey) this.toggle(this.active);
    } else if (key === "Home" || key === "End") this.move(key === "Home" ? 0 : last);
    else if ((key === " " || key === "Enter") && this.active >= 0) this.toggle(this.active);
    else if (key === "a" && (event.ctrlKey || event.metaKey)) {
      this.selection = addContacts(this.selection, this.results.map(personOf));
      this.say(true, this.t.term("people", this.results.length));
    } else return;
    event.preventDefault();
  }

  private listFocused() {
    if (this.active < 0 && this.results.length) this.active = 0;
  }

  /** Down in the search field goes to the list. */
  private searchKeyed(event: KeyboardEvent) {
    if (event.key !== "ArrowDown" || !this.results.length) return;
    event.preventDefault();
    this.active = Math.max(this.active, 0);
    this.$("[role=listbox]")?.focus();
  }

  override render() {
    const t = this.t;
    const value = this.chosen;
    const over = value.count > MAX_RECIPIENTS;
    const inGroups = new Set([...this.selection.groups.values()].flatMap((g) => g.members.map((m) => m.id)));
    const activeId = this.results[this.active]?.id;
    const kept = picked(this.confirmed).count;
    return html`${
      kept
        ? html`<span part="chip" class="chip">${t.term("picked", kept)}
            <button type="button" class="x" aria-label=${t.term("removePicked")} @click=${this.unpick}>×</button></span>`
        : nothing
    }
    <dialog part="dialog" aria-labelledby="picker-title" @close=${this.closed}>
    <div class="root card">
      <h2 id="picker-title">${t.term("title")}</h2>
      <div class="field">
        <label for="q" part="label">${t.term("search")}</label>
        <input id="q" part="input" type="search" autofocus autocomplete="off" aria-controls="results" @input=${this.searchSoon} @keydown=${this.searchKeyed} />
      </div>
      <fieldset class="filters">
        <legend>${t.term("filters")}</legend>
        <div class="field">
          <label for="group" part="label">${t.term("group")}</label>
          <select id="group" part="input" @change=${() => this.search()}>
            <option value="">${t.term("anyGroup")}</option>
            ${this.groups.map((g) => html`<option value=${g.id}>${g.name}</option>`)}
          </select>
        </div>
        <div class="field">
          <label for="type" part="label">${t.term("type")}</label>
          <input id="type" part="input" list="types" autocomplete="off" @input=${this.searchSoon} />
          <datalist id="types">${[...this.types].sort().map((v) => html`<option value=${v}></option>`)}</datalist>
        </div>
        <div class="field">
          <label for="tag" part="label">${t.term("tag")}</label>
          <input id="tag" part="input" list="tags" autocomplete="off" @input=${this.searchSoon} />
          <datalist id="tags">${[...this.tags].sort().map((v) => html`<option value=${v}></option>`)}</datalist>
        </div>
      </fieldset>
      ${this.groups.length ? this.wholeGroups() : nothing}
      <p id="results-label" class="label">${t.term("results")}</p>
      <p class="muted matches">${this.loading && !this.results.length ? t.term("loading") : t.term("matches", this.total)}</p>
      <div class="bulk">
        ${
          this.total > MAX_RECIPIENTS
            ? html`<span class="muted">${t.term("tooManyToSelect", MAX_RECIPIENTS)}</span>`
            : this.total
              ? html`<button type="button" class="secondary small select-all" @click=${this.selectAll}>${t.term("selectAll", this.total)}</button>`
              : nothing
        }
        ${value.count ? html`<button type="button" class="secondary small clear" @click=${this.clear}>${t.term("clear")}</button>` : nothing}
      </div>
      ${this.failure ? html`<p class="error" role="alert">${this.failure} <button type="button" class="secondary small" @click=${() => this.search()}>${t.term("retry")}</button></p>` : nothing}
      ${
        this.results.length
          ? html`<div
              id="results"
              part="listbox"
              role="listbox"
              tabindex="0"
              aria-multiselectable="true"
              aria-labelledby="results-label"
              aria-describedby="results-keys"
              aria-activedescendant=${activeId ? `o-${activeId}` : nothing}
              aria-busy=${this.loading ? "true" : "false"}
              @keydown=${this.listKeyed}
              @focus=${this.listFocused}
            >
              ${this.results.map((c, i) => {
                const chosen = this.selection.contacts.has(c.id);
                return html`<div
                  id="o-${c.id}"
                  role="option"
                  part="option"
                  aria-selected=${chosen ? "true" : "false"}
                  class=${i === this.active ? "option active" : "option"}
                  @click=${() => {
                    this.active = i;
                    this.toggle(i);
                  }}
                >
                  <span class="box" aria-hidden="true"></span>
                  <span class="who">
                    <span class="name">${labelOf(personOf(c))}</span>
                    <span class="muted">${c.email ?? t.term("noEmail")} · ${c.type}${!chosen && inGroups.has(c.id) ? ` · ${t.term("inChosenGroup")}` : ""}</span>
                  </span>
                </div>`;
              })}
            </div>
            <p id="results-keys" class="muted">${t.term("keys")}</p>`
          : nothing
      }
      ${this.nextCursor ? html`<button type="button" class="secondary small more" ?disabled=${this.loading} @click=${() => this.search(true)}>${t.term("more")}</button>` : nothing}
      <p id="picked-count" part="count" class=${over ? "error count" : "count"}>${t.term("chosen", value.count, MAX_RECIPIENTS)}</p>
      ${over ? html`<p class="error" role="alert">${t.term("over", MAX_RECIPIENTS)}</p>` : nothing}
      ${value.withoutEmail ? html`<p class="muted">${t.term("withoutEmail", value.withoutEmail)}</p>` : nothing}
      <p class="sr-only" role="status">${this.announcement}</p>
      <div class="actions">
        <button type="button" part="button" class="done" aria-describedby="picked-count" ?disabled=${over || this.pending.size > 0} @click=${this.done}>
          ${t.term("done")}
        </button>
        <button type="button" part="button" class="secondary" @click=${() => this.dialog.close()}>${t.term("back")}</button>
      </div>
    </div>
    </dialog>`;
  }

  private wholeGroups() {
    const chosen = this.selection.groups.size;
    return html`<details class="groups">
      <summary>${chosen ? this.t.term("wholeGroupsChosen", chosen) : this.t.term("wholeGroups")}</summary>
      <ul>
        ${this.groups.map(
          (g) => html`<li class="check">
            <input
              type="checkbox"
              id="g-${g.id}"
              .checked=${this.selection.groups.has(g.id) || this.pending.has(g.id)}
              @change=${(e: Event) => this.toggleGroup(g, (e.currentTarget as HTMLInputElement).checked)}
            />
            <label for="g-${g.id}">${this.t.term("groupChoice", g.name, g.memberCount)}</label>
          </li>`,
        )}
      </ul>
    </details>`;
  }
}

define("rollcall-picker", RollcallPicker);

declare global {
  interface HTMLElementTagNameMap {
    "rollcall-picker": RollcallPicker;
  }
}
