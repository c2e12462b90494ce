// Chromium as every browser test launches it: Debian's build, run as root (hence --no-sandbox),
// headless, and quiet (no updates, sync or background traffic). CHROMIUM_PATH names another build.

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--headless",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
