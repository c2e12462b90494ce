// <rollcall-join> in a Vue app. Open with ?session=ses_…&api=https://your-rollcall (the API's origin).

import { define } from "@rollcall/elements/define";
import { createApp } from "vue";
import App from "./App.vue";

define({ api: new URLSearchParams(location.search).get("api") ?? undefined });
createApp(App).mount("#app");
