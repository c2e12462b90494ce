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
        for (const declaration of mod.declarations ?? []) {
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
  outdir: ".",
  litelement: true,
  plugins: [publicFaceOnly()],
};
