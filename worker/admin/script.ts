// The hosted admin's one script, served at /admin/admin.js (the pages' CSP allows scripts from this
// origin only, none inline). Every page works without it; with it:
// - a "Copy" button beside a field to copy (the embed snippet, the public URL, a new API key),
//   saying so in its own text and to screen readers;
// - a fresh "New session" form takes the browser's own time zone, by its IANA name (a browser may
//   report an older one: Asia/Calcutta is Asia/Kolkata);
// - a moment that belongs to no session (a key's creation, a member's arrival, a webhook's
//   delivery), written in UTC by the server, is written again in the browser's own zone, named so;
// - a part of a page marked data-live-every (a program's running invitation jobs) is brought up to
//   date from the same page every so many seconds, until it says it is done or the person presses
//   its Pause button (shown only then; without the script, the page has a Refresh link).
// - a list of checkboxes (the contacts) gets a box above it that ticks or clears them all, and
//   shows when only some are ticked;
// - the new-session form's "Find someone in your people" (admin/sessions.tsx PeopleSearch) is
//   shown and runs as an ARIA combobox: typing asks the server for matches (HTML it rendered and
//   escaped), Up and Down move through them, Enter or a click adds the person's address to the
//   invite field, Escape closes the list; the status region says how many match and who was added.

import { FRENCH_FIRST } from "../time/date-words";
import { INSTANT_FORMAT } from "../time/format";
import { IANA_RENAMES } from "../time/zoned";
import { TAGS } from "./i18n";

export const ADMIN_SCRIPT_PATH = "/admin/admin.js";

export const adminScript = `
const status = document.createElement("p");
status.className = "visually-hidden";
status.setAttribute("role", "status");
document.body.append(status);

for (const button of document.querySelectorAll("button[data-copy]")) {
  const field = document.getElementById(button.dataset.copy);
  if (!field || !navigator.clipboard) continue;
  const label = button.textContent;
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(field.value);
    } catch {
      field.select();
      return;
    }
    button.textContent = button.dataset.copied;
    status.textContent = button.dataset.copied;
    setTimeout(() => {
      button.textContent = label;
      status.textContent = "";
    }, 2000);
  });
}

for (const all of document.querySelectorAll("input[data-select-all]")) {
  const boxes = [...all.form.elements].filter((e) => e.type === "checkbox" && e.name === all.dataset.selectAll);
  const sync = () => {
    const ticked = boxes.filter((box) => box.checked).length;
    all.checked = ticked === boxes.length;
    all.indeterminate = ticked > 0 && ticked < boxes.length;
  };
  all.hidden = false;
  all.addEventListener("change", () => {
    for (const box of boxes) box.checked = all.checked;
  });
  for (const box of boxes) box.addEventListener("change", sync);
  sync();
}

const search = document.querySelector("[data-people-search]");
const into = search && document.getElementById(search.dataset.into);
if (search && into) {
  const input = search.querySelector("input[role=combobox]");
  const list = search.querySelector("[role=listbox]");
  let options = [];
  let active = -1;
  let timer = 0;
  let asked = "";
  search.hidden = false;
  const activate = (i) => {
    active = i;
    options.forEach((o, j) => o.setAttribute("aria-selected", String(j === i)));
    if (i < 0) return input.removeAttribute("aria-activedescendant");
    input.setAttribute("aria-activedescendant", options[i].id);
    options[i].scrollIntoView({ block: "nearest" });
  };
  const show = (open) => {
    list.hidden = !open;
    input.setAttribute("aria-expanded", String(open));
    if (!open) activate(-1);
  };
  // A person's option carries one line and one address; a group's, one per person, in the same order.
  const choose = (option) => {
    const listed = new Set(into.value.toLowerCase().split(/[\\s,;<>"]+/));
    const lines = option.dataset.recipient.split("\\n");
    const emails = option.dataset.email.toLowerCase().split(" ");
    // Each address once, even when two of the group's people share one.
    const fresh = lines.filter((_, i) => !listed.has(emails[i]) && listed.add(emails[i]));
    if (fresh.length) into.value = (into.value.trim() ? into.value.trimEnd() + "\\n" : "") + fresh.join("\\n");
    const said = "group" in option.dataset ? search.dataset.groupAdded : fresh.length ? search.dataset.added : search.dataset.already;
    status.textContent = said
      .replace("{name}", option.dataset.label)
      .replace("{added}", String(fresh.length))
      .replace("{already}", String(lines.length - fresh.length));
    input.value = "";
    show(false);
    input.focus();
  };
  const find = async () => {
    const q = input.value.trim();
    asked = q;
    if (!q) return show(false);
    try {
      const res = await fetch(search.dataset.peopleSearch + "?q=" + encodeURIComponent(q), { credentials: "same-origin" });
      const page = res.ok && new DOMParser().parseFromString(await res.text(), "text/html");
      const fresh = page && page.getElementById(list.id);
      if (!fresh || asked !== q) return;
      // This origin's own answer, escaped where it was rendered.
      list.replaceChildren(...fresh.childNodes);
      options = [...list.querySelectorAll("[role=option]")];
      show(options.length > 0);
      status.textContent = page.getElementById("people-status")?.textContent ?? "";
    } catch {
      // Offline for a moment: typing again asks again.
    }
  };
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(find, 200);
  });
  input.addEventListener("keydown", (event) => {
    if ((event.key === "ArrowDown" || event.key === "ArrowUp") && options.length) {
      event.preventDefault();
      show(true);
      const step = event.key === "ArrowDown" ? 1 : -1;
      activate(active < 0 && step < 0 ? options.length - 1 : (active + step + options.length) % options.length);
    } else if (event.key === "Enter") {
      // Enter here chooses; it never sends the form.
      event.preventDefault();
      if (active >= 0 && !list.hidden) choose(options[active]);
    } else if (event.key === "Escape" && !list.hidden) {
      event.preventDefault();
      show(false);
    }
  });
  input.addEventListener("blur", () => show(false));
  // A press on an option keeps the focus in the field, so the click that follows still finds the list open.
  list.addEventListener("mousedown", (event) => event.preventDefault());
  list.addEventListener("click", (event) => {
    const option = event.target.closest("[role=option]");
    if (option) choose(option);
  });
}

// The browser's zone by the name the IANA database gives it now (time/zoned.ts IANA_RENAMES).
const renames = ${JSON.stringify(IANA_RENAMES)};
const reported = Intl.DateTimeFormat().resolvedOptions().timeZone;
const browserZone = reported && (renames[reported] || reported);

const zones = document.querySelector("select[data-browser-zone]");
if (zones && [...zones.options].some((o) => o.value === browserZone)) zones.value = browserZone;

// The same words as the server's formatInstant (time/format.ts), in the browser's zone.
const tag = ${JSON.stringify(TAGS)}[document.documentElement.lang] || "en-GB";
const localTimes = (root) => {
  if (!browserZone) return;
  const format = new Intl.DateTimeFormat(tag, { ...${JSON.stringify(INSTANT_FORMAT)}, timeZone: browserZone });
  for (const time of root.querySelectorAll("time[data-local]")) {
    const text = format.format(new Date(time.dateTime));
    time.textContent = (tag.startsWith("fr") ? text.replace(${FRENCH_FIRST}, "$11er") : text) + " (" + browserZone + ")";
  }
};
localTimes(document);

const live = document.querySelector("[data-live-every]");
if (live) {
  const toggle = document.querySelector("button[data-live-toggle]");
  const every = Number(live.dataset.liveEvery) * 1000;
  let paused = false;
  if (toggle) {
    const label = toggle.textContent;
    toggle.hidden = false;
    toggle.addEventListener("click", () => {
      paused = !paused;
      toggle.setAttribute("aria-pressed", String(paused));
      toggle.textContent = paused ? toggle.dataset.pausedLabel : label;
    });
  }
  const update = async () => {
    if (!paused) {
      try {
        const res = await fetch(location.pathname + location.search, { credentials: "same-origin" });
        const fresh = res.ok && new DOMParser().parseFromString(await res.text(), "text/html").getElementById(live.id);
        if (fresh) {
          // This origin's own page, escaped where it was rendered.
          live.replaceChildren(...fresh.childNodes);
          localTimes(live);
          if (!fresh.hasAttribute("data-live-every")) {
            if (toggle) toggle.hidden = true;
            return;
          }
        }
      } catch {
        // Offline for a moment: the next round tries again.
      }
    }
    setTimeout(update, every);
  };
  setTimeout(update, every);
}
`;
