// The one script a site embeds: it knows every Rollcall element by its tag and loads an element's
// code the first time the page uses it (in the page, added later, or rendered by one of our own
// elements inside its shadow root). Each element is a chunk beside this file, imported relative
// to it, so it comes from the same origin; loading this script twice is harmless (the imports are
// the same modules, and each define is guarded).

const elements: Record<string, () => Promise<unknown>> = {
  "rollcall-join": () => import("./join/define"),
  "rollcall-invite": () => import("./invite/define"),
  "rollcall-roster": () => import("./roster/define"),
  "rollcall-sessions": () => import("./sessions/define"),
};

const tags = Object.keys(elements).join();
const watched = new WeakSet<Node>();

/** Loads the code of every Rollcall element in `root` (itself included), then looks inside their shadow roots. */
function discover(root: ParentNode) {
  for (const el of [root, ...root.querySelectorAll(tags)]) {
    if (!(el instanceof Element && el.matches(tags))) continue;
    // The browser imports a module once; asking again for the next element costs nothing. One
    // element may render another in its shadow root (the roster renders <rollcall-invite>).
    elements[el.localName]?.().then(
      () => el.shadowRoot && watch(el.shadowRoot),
      () => {},
    );
  }
}

function watch(root: Document | ShadowRoot) {
  if (watched.has(root)) return;
  watched.add(root);
  new MutationObserver((mutations) => {
    for (const m of mutations) for (const node of m.addedNodes) if (node instanceof Element) discover(node);
  }).observe(root, { childList: true, subtree: true });
  discover(root);
}

watch(document);
