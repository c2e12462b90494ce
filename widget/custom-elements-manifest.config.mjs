// `npm run analyze`: custom-elements.json, for editors and frameworks, from the elements' JSDoc headers.

/**
 * Keeps the manifest to the public face, in a stable order: no private or protected members, no static ones (the live
 * channel's timers are for tests), no unnamed events.
 */
function publicFaceOnly() {
  return {
    name: "rollcall-public-face",
    packageLinkPhase({ customElementsManifest }) {
      // The globs resolve concurrently, so their order varies from run to run; the file must not.
      customElementsManifest.modules.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      for (const mod of customElementsManifest.modules) {
        // shared/element.ts's guarded define(name, element) reads to the analyzer as the definition
        // of an element called "name": a custom element's name has a hyphen, so that one is dropped.
        if (mod.exports) mod.exports = mod.exports.filter((e) => e.kind !== "custom-element-definition" || e.name.includes("-"));
        // Each define.ts re-exports its element and defines it through that helper: point the
        // re-export at the module that declares the class, and say which tag it defines.
        for (const exported of mod.path.endsWith("/define.ts") ? [...(mod.exports ?? [])] : []) {
          const home = customElementsManifest.modules.find((m) =>
            m.declarations?.some((d) => d.name === exported.declaration.name && d.customElement),
          );
          const element = home?.declarations.find((d) => d.name === exported.declaration.name);
          if (!home || !element?.tagName) continue;
          exported.declaration = { name: element.name, module: home.path };
          mod.exports.push({
            kind: "custom-element-definition",
            name: element.tagName,
            declaration: { name: element.name, module: home.path },
          });
        }
        for (const declaration of mod.declarations ?? []) {
          // The abstract base every element extends (shared/element.ts) defines no tag: a class, not an element.
          if (declaration.customElement && !declaration.tagName) delete declaration.customElement;
          const privateFields = new Set(
            (declaration.members ?? []).filter((m) => m.privacy === "private" || m.privacy === "protected").map((m) => m.name),
          );
          if (declaration.attributes) declaration.attributes = declaration.attributes.filter((a) => !privateFields.has(a.fieldName));
          if (declaration.events) declaration.events = declaration.events.filter((e) => e.name);
          if (declaration.members)
            declaration.members = declaration.members.filter((m) => m.privacy !== "private" && m.privacy !== "protected" && !m.static);
        }
      }
    },
  };
}

export default {
  globs: [
    "widget/join/join.ts",
    "widget/invite/invite.ts",
    "widget/roster/roster.ts",
    "widget/sessions/sessions.ts",
    "widget/shared/element.ts",
    "widget/rollcall.ts",
    "widget/*/define.ts",
  ],
  // The npm package's entries (widget/package/define.ts is no element's define.ts): its own
  // manifest is derived from this one by scripts/build-package.mjs.
  exclude: ["widget/package/**"],
  outdir: ".",
  litelement: true,
  plugins: [publicFaceOnly()],
};
