// /v1/docs: the API reference, rendered in the browser from /v1/openapi.json by Scalar's API
// reference. Its script is served from this origin (scripts/copy-api-reference.mjs copies the
// package's standalone bundle into the static assets at build), never from a CDN: the page's CSP
// lets nothing else run, and nothing is fetched from another host (fonts included).

import { Hono } from "hono";
import { DOCTYPE, Icon } from "../html/document";
import type { AppEnv } from "../http/context";

/** Where the static assets hold the renderer (public/ in wrangler.toml's [assets]). */
export const API_REFERENCE_SCRIPT = "/api-reference/standalone.js";

/**
 * Scripts, styles, calls ("Try it" sends requests to this API) and images of this origin only;
 * styles may be inline because the renderer injects its own <style> elements.
 */
const DOCS_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * The renderer's settings: the system's fonts (not its font host), the document as JSON, and none
 * of its features that call its vendor's services (the assistant, the developer toolbar).
 */
const configuration = JSON.stringify({
  withDefaultFonts: false,
  documentDownloadType: "json",
  agent: { disabled: true },
  showDeveloperTools: "never",
});

export const docsRoutes = new Hono<AppEnv>().get("/docs", (c) => {
  c.header("content-security-policy", DOCS_CSP);
  c.header("x-frame-options", "DENY");
  c.header("referrer-policy", "no-referrer");
  return c.html(
    <>
      {DOCTYPE}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>Rollcall API reference</title>
          <Icon />
        </head>
        <body>
          {/* A data block, not a script: the renderer reads its attributes and mounts beside it. */}
          <script id="api-reference" type="application/json" data-url="/v1/openapi.json" data-configuration={configuration} />
          <script src={API_REFERENCE_SCRIPT} />
        </body>
      </html>
    </>,
  );
});
