// The demo site's only script: one <rollcall-join> per session id in the page URL
// (?session=ses_a,ses_b — `npm start` prints the demo ids), ?lang=fr for French, and ?token= for
// the camp office's roster. Nothing else is taken from the address: a link must not be able to
// point an element's token-url or api elsewhere (a signed-in admin's click would hand their
// widget token to another site). Each element carries the fallback link of the README's
// "Embedding" section, which the browser shows if the widget's script cannot load.

const params = new URLSearchParams(location.search);
const ids = params
  .getAll("session")
  .flatMap((v) => v.split(","))
  .map((v) => v.trim())
  .filter(Boolean);
if (params.get("lang")) document.documentElement.lang = params.get("lang");

// The site's own links keep the sessions and the language (the token stays on the page it was given to).
for (const link of document.querySelectorAll("nav a")) {
  const url = new URL(link.getAttribute("href"), location.href);
  if (url.origin !== location.origin) continue;
  if (ids.length && !url.searchParams.has("session")) url.searchParams.set("session", ids.join(","));
  if (params.get("lang") && !url.searchParams.has("lang")) url.searchParams.set("lang", params.get("lang"));
  link.href = url.href;
}

// Commands shown on the page name the origin it is served from, not a fixed port.
for (const code of document.querySelectorAll("[data-origin]")) code.textContent = code.textContent.replaceAll("{origin}", location.origin);

for (const slot of document.querySelectorAll("[data-sessions]")) {
  if (!ids.length) {
    slot.innerHTML = `<p class="hint">Add <code>?session=ses_…</code> to this page's address (several ids separated by commas): <code>npm start</code> prints the demo sessions' ids.</p>`;
    continue;
  }
  const tag = slot.dataset.sessions || "rollcall-join";
  for (const id of ids) {
    const element = document.createElement(tag);
    element.setAttribute("session", id);
    if (params.get("token")) element.setAttribute("token", params.get("token"));
    // Shown only while the element is undefined: its script blocked, down or slow.
    const fallback = document.createElement("a");
    fallback.slot = "fallback";
    fallback.href = tag === "rollcall-join" ? `/s/${encodeURIComponent(id)}` : `/admin/sessions/${encodeURIComponent(id)}`;
    fallback.textContent = tag === "rollcall-join" ? "Register on the session's page" : "Open the session in Rollcall's admin";
    element.append(fallback);
    slot.append(element);
  }
}

// Shows what the elements tell the page, as a site's own analytics would hear it.
const log = document.querySelector("#events");
const EVENTS = [
  ...["rollcall-registered", "rollcall-declined", "rollcall-error", "rollcall-invited"],
  // The roster's, each once its action is done.
  ...["rollcall-removed", "rollcall-invitation-sent", "rollcall-invitation-resent", "rollcall-invitation-cancelled"],
  ...["rollcall-invitations-sent", "rollcall-invitations-resent", "rollcall-exported", "rollcall-undone"],
];
for (const name of EVENTS) {
  document.addEventListener(name, (event) => {
    if (!log) return;
    const line = document.createElement("li");
    line.textContent = `${name} ${JSON.stringify(event.detail)}`;
    log.prepend(line);
  });
}
