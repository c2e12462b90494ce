// English words every element uses. Each element adds its own words beside it (join/join.en.ts…); the French files have the same keys (typed).

export const en = {
  loading: "Loading…",
  error: "Something went wrong. Try again.",
  retry: "Try again",
  back: "Back",
  name: "Name",
  email: "Email",
  offline: "Offline. Reconnecting…",
};
