// The frame of every hosted page: the document shell with the widget script, a calm default
// look, and the page's content in <main>.

import type { Child } from "hono/jsx";
import { Document } from "../html/document";
import type { Locale } from "../i18n/locales";

const styles = `
  body { font-family: system-ui, sans-serif; margin: 0; background: #f5f6f8; color: #1b1f24; }
  main { max-width: 40rem; margin: 3rem auto; padding: 0 1rem; }
  .card { background: #fff; border-radius: 12px; padding: 1.5rem; box-shadow: 0 1px 3px rgb(0 0 0 / 0.08); }
  h1 { font-size: 1.4rem; margin-top: 0; }
  button { font: inherit; padding: 0.6rem 1.1rem; border-radius: 8px; border: 0; background: #1849a9; color: #fff; cursor: pointer; }
  button.danger { background: #b42318; }
  button:focus-visible { outline: 3px solid #1849a9; outline-offset: 2px; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.35rem 1rem; margin: 1rem 0 1.5rem; }
  dt { font-weight: 600; }
  dd { margin: 0; }
  .muted { color: #5b6470; font-size: 0.9rem; }
  h2 { font-size: 1.1rem; margin: 1.5rem 0 0.5rem; }
  .field { margin: 0 0 1rem; border: 0; padding: 0; }
  .field label, .field legend { display: block; font-weight: 600; margin-bottom: 0.25rem; }
  fieldset.field label { font-weight: normal; }
  input:not([type=checkbox]):not([type=radio]), textarea, select { font: inherit; width: 100%; box-sizing: border-box; padding: 0.5rem; border: 1px solid #8a939e; border-radius: 6px; }
  [aria-invalid=true] { border-color: #b42318 !important; box-shadow: 0 0 0 1px #b42318; }
  .error { color: #b42318; }
  .notice { background: #ecfdf3; padding: 0.75rem; border-radius: 8px; }
  .people { list-style: none; padding: 0; }
  .people li { padding: 0.35rem 0; border-bottom: 1px solid #e4e7ec; }
  a.button { display: inline-block; background: #1849a9; color: #fff; border-radius: 8px; padding: 0.6rem 1.2rem; text-decoration: none; font-weight: 600; }
  button.secondary { background: #fff; color: #1849a9; border: 1px solid #1849a9; padding: 0.3rem 0.8rem; }
  .org { font-weight: 600; color: #344054; margin: 0 0 0.75rem; overflow-wrap: anywhere; }
  footer { margin-top: 2rem; font-size: 0.85rem; color: #5b6470; text-align: center; }
`;

/** The heading (and tab title) of a page that only says one thing. */
export const noticeTitles = {
  en: {
    notFound: "Page not found",
    invalidLink: "Link not valid",
    tooMany: "Too many attempts",
    unavailable: "Payment not started",
    over: "Program over",
  },
  fr: {
    notFound: "Page introuvable",
    invalidLink: "Lien non valide",
    tooMany: "Trop de tentatives",
    unavailable: "Paiement non démarré",
    over: "Programme terminé",
  },
} satisfies Record<Locale, Record<string, string>>;

/**
 * A page that only says one thing (a missing page, a link that is not valid): a short heading,
 * which is also the tab's title and what a screen reader reads first, then the sentence.
 */
export function NoticePage(props: { locale: Locale; title: string; body: string; children?: Child }) {
  return (
    <HostedPage locale={props.locale} title={props.title}>
      <div class="card" role="status">
        <h1>{props.title}</h1>
        <p>{props.body}</p>
        {props.children}
      </div>
    </HostedPage>
  );
}

/** A hosted page; with `org`, the organisation it is about is named above the content and in the title. */
export function HostedPage(props: { locale: Locale; title: string; org?: string | null | undefined; children?: Child }) {
  return (
    <Document
      lang={props.locale}
      title={props.org ? `${props.title} · ${props.org}` : props.title}
      referrer="no-referrer"
      widget
      styles={styles}
    >
      <main>
        {props.org && <p class="org">{props.org}</p>}
        {props.children}
      </main>
      <footer>Rollcall</footer>
    </Document>
  );
}

/**
 * The inline styles of a list of sessions with their answer buttons (the program page, the
 * participant's page). Button borders keep a 3:1 contrast with the page.
 */
export const seatStyles = {
  list: "list-style:none;padding:0;margin:1rem 0;display:grid;gap:0.75rem",
  item: "border:1px solid #d0d5dd;border-radius:10px;padding:0.9rem 1rem;overflow-wrap:anywhere",
  actions: "display:flex;flex-wrap:wrap;gap:0.5rem;margin-top:0.6rem",
  secondary: "background:#fff;color:#1b1f24;border:1px solid #667085",
  primary: "background:#1849a9",
};
