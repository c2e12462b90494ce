// <rollcall-join> in a Svelte app. Open with ?session=ses_…&api=https://your-rollcall (the API's origin).

import { define } from "@rollcall/elements/define";
import { mount } from "svelte";
import App from "./App.svelte";

define({ api: new URLSearchParams(location.search).get("api") ?? undefined });
mount(App, { target: /** @type {HTMLElement} */ (document.getElementById("app")) });
