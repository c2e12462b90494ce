// The document shell of every page the worker serves (the hosted admin and the hosted pages):
// doctype, language, head, title, Rollcall's icon, the widget script when the page uses
// Rollcall's elements, the page's own styles, and the body. hono/jsx escapes every value passed
// in except `styles`, a constant of the caller's, never data.

import type { Child } from "hono/jsx";
import { raw } from "hono/utils/html";

export type DocumentProps = {
  lang: string;
  title: string;
  /** What following a link from this page tells the next site (the admin's own forms need same-origin). */
  referrer: "same-origin" | "no-referrer";
  /** Pages with Rollcall's elements load the widget script. */
  widget?: boolean;
  /** A module of the page's own (same origin: the pages' CSP allows no inline script). */
  script?: string;
  styles: string;
  children?: Child;
};

/** JSX has no syntax for the doctype; it is a constant, so it goes out as written. */
export const DOCTYPE = raw("<!doctype html>");

/** Rollcall's icon (public/favicon.svg), so that a browser's tab shows it rather than asking for /favicon.ico in vain. */
export const Icon = () => <link rel="icon" href="/favicon.svg" type="image/svg+xml" />;

export function Document(props: DocumentProps) {
  return (
    <>
      {DOCTYPE}
      <html lang={props.lang}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="referrer" content={props.referrer} />
          <meta name="robots" content="noindex" />
          <title>{props.title}</title>
          <Icon />
          {props.widget && <script type="module" src="/widget/rollcall.js" />}
          {props.script && <script type="module" src={props.script} />}
          <style dangerouslySetInnerHTML={{ __html: props.styles }} />
        </head>
        <body>{props.children}</body>
      </html>
    </>
  );
}
