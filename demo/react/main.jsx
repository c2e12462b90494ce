// <rollcall-join> in a React app: React 19 passes `session` and `api` to the element and listens
// to its events with `on` + the event's name; what the element tells goes into React's state.
// Open with ?session=ses_…&api=https://your-rollcall (the API's origin).

import { define } from "@rollcall/elements/define";
import { StrictMode, useState } from "react";
import { createRoot } from "react-dom/client";

const params = new URLSearchParams(location.search);
define({ api: params.get("api") ?? undefined });

function App() {
  const [registered, setRegistered] = useState(/** @type {string | null} */ (null));
  return (
    <main>
      <h1>Swim club (React)</h1>
      <rollcall-join
        session={params.get("session") ?? ""}
        onrollcall-registered={(/** @type {CustomEvent} */ event) => setRegistered(event.detail.registration.name)}
      />
      <p id="framework-state">{registered ? `Registered: ${registered}` : "Not registered yet"}</p>
    </main>
  );
}

createRoot(/** @type {HTMLElement} */ (document.getElementById("app"))).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
