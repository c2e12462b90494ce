// The demo site's only script: one <rollcall-join> per session id in the page URL
// (?session=ses_a,ses_b — `npm start` prints the demo ids), ?lang=fr for French, and ?token= for
// the camp office's roster. Nothing else is taken from the address: a link must not be able to
// point an element's token-url or api elsewhere (a signed-in admin's click would hand their
// widget token to another site).

const params = new URLSearchParams(location.search);
const ids = params
  .getAll("session")
  .flatMap((v) => v.split(","))
  .map((v) => v.trim())
  .filter(Boolean);
if (params.get("lang")) document.documentElement.lang = params.get("lang");

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
