// The hosted admin's look: calm, readable, and a focus ring that is always visible. A constant
// that goes into the page's <style> as written.

export const adminStyles = `
  :root { color-scheme: light; --accent: #1849a9; --danger: #b42318; --muted: #5b6470; --line: #d8dde3; }
  * { box-sizing: border-box; }
  body { font-family: system-ui, sans-serif; margin: 0; background: #f5f6f8; color: #1b1f24; line-height: 1.5; }
  a { color: var(--accent); }
  :focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
  .skip { position: absolute; left: -999px; top: 0; background: #fff; padding: 0.5rem 1rem; }
  .skip:focus { left: 1rem; }
  header { background: #fff; border-bottom: 1px solid var(--line); }
  .bar { max-width: 64rem; margin: 0 auto; padding: 0.75rem 1rem; display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; align-items: center; }
  .brand { font-weight: 700; margin-right: auto; }
  nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; margin: 0; padding: 0; }
  nav a { text-decoration: none; padding: 0.25rem 0; }
  nav a[aria-current="page"] { font-weight: 700; border-bottom: 3px solid var(--accent); }
  .who { color: var(--muted); font-size: 0.9rem; display: flex; gap: 0.75rem; align-items: center; }
  main { max-width: 64rem; margin: 2rem auto; padding: 0 1rem; }
  main.narrow { max-width: 32rem; }
  h1 { font-size: 1.5rem; margin: 0 0 1rem; }
  h2 { font-size: 1.15rem; margin: 1.5rem 0 0.75rem; }
  .card { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 1.25rem; margin-bottom: 1rem; }
  .card > :first-child { margin-top: 0; }
  .card > :last-child { margin-bottom: 0; }
  .notice { background: #ecfdf3; border: 1px solid #abefc6; border-radius: 8px; padding: 0.75rem 1rem; margin-bottom: 1rem; }
  .alert { background: #fef3f2; border: 1px solid #fecdca; border-radius: 8px; padding: 0.75rem 1rem; margin-bottom: 1rem; }
  .field { margin-bottom: 1rem; }
  .field label, .field .label { display: block; font-weight: 600; margin-bottom: 0.25rem; }
  .field .hint { display: block; color: var(--muted); font-size: 0.9rem; margin-bottom: 0.25rem; }
  .field .error { display: block; color: var(--danger); font-weight: 600; margin-bottom: 0.25rem; }
  .check label { display: inline; font-weight: 400; }
  input, select, textarea { font: inherit; padding: 0.5rem; border: 1px solid #8a94a0; border-radius: 6px; width: 100%; max-width: 32rem; background: #fff; }
  input[type="checkbox"], input[type="radio"] { width: auto; }
  input[aria-invalid="true"], select[aria-invalid="true"], textarea[aria-invalid="true"] { border: 2px solid var(--danger); }
  textarea { min-height: 6rem; }
  textarea.code, input.code { font-family: ui-monospace, monospace; font-size: 0.9rem; }
  .row { display: flex; flex-wrap: wrap; gap: 0 1rem; }
  .people-search [role="listbox"] { list-style: none; margin: 0.25rem 0 0; padding: 0.25rem 0; max-width: 32rem; max-height: 18rem; overflow-y: auto; border: 1px solid #8a94a0; border-radius: 6px; background: #fff; }
  .people-search [role="listbox"][hidden] { display: none; }
  .people-search [role="option"] { padding: 0.5rem 0.75rem; cursor: pointer; overflow-wrap: anywhere; }
  .people-search [role="option"] .hint { display: inline; margin: 0; }
  .people-search [role="option"][aria-selected="true"] { background: #e8eefb; outline: 2px solid var(--accent); outline-offset: -2px; }
  .row > .field { flex: 1 1 14rem; }
  button, .button { font: inherit; display: inline-block; padding: 0.55rem 1rem; border-radius: 8px; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; text-decoration: none; }
  button.secondary, .button.secondary { background: #fff; color: var(--accent); }
  button.danger { background: var(--danger); border-color: var(--danger); }
  button.link { background: none; border: 0; color: var(--accent); padding: 0; text-decoration: underline; }
  .actions { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: center; margin-top: 1rem; }
  .tabs { display: flex; gap: 1rem; margin-bottom: 1rem; }
  .tabs a[aria-current="page"] { font-weight: 700; }
  .list { list-style: none; padding: 0; margin: 0; }
  .muted { color: var(--muted); }
  meter { width: 100%; max-width: 20rem; height: 1.1rem; }
  table { border-collapse: collapse; width: 100%; background: #fff; }
  th, td { text-align: left; padding: 0.5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
  form.inline { display: inline-flex; gap: 0.5rem; align-items: center; }
  form.inline select { width: auto; }
  .badge { display: inline-block; padding: 0 0.5rem; border-radius: 999px; background: #eef2f6; font-size: 0.85rem; }
  .scroll { overflow-x: auto; }
  tr.error-row td { background: #fef3f2; color: var(--danger); }
  fieldset { border: 1px solid var(--line); border-radius: 10px; }
  fieldset.choice { border: 0; padding: 0; margin: 0 0 1rem; min-width: 0; }
  fieldset.choice legend { font-weight: 600; padding: 0; margin-bottom: 0.25rem; }
  details.email-words { margin: 0 0 1rem; }
  details.email-words > summary { cursor: pointer; font-weight: 600; padding: 0.5rem 0; }
  details.email-words > .hint { color: var(--muted); font-size: 0.9rem; margin: 0 0 0.75rem; }
  .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  /* Long addresses and links break rather than push the page wider than a phone. */
  h1, h2, td, dd, .who, a.url { overflow-wrap: anywhere; }
  /* Short values (a type, a status, a phone number) break between words only: "anywhere" let a
     table squeeze its column until "member" wrapped as "memb er". */
  td.words { overflow-wrap: normal; }
  /* "Sign out" stays one word beside a long address, which wraps instead. */
  .who button { white-space: nowrap; }
  a.url { display: inline-block; margin-top: 0.25rem; }
  .copyable { display: flex; gap: 0.5rem; align-items: center; max-width: 40rem; }
  .copyable input { flex: 1 1 auto; min-width: 0; }
  button.copy { margin-top: 0.25rem; white-space: nowrap; }
  .copyable button.copy { margin-top: 0; }
  @media (max-width: 40rem) {
    main { margin: 1.25rem auto; }
    .card { padding: 1rem; }
    dd { margin-left: 0; margin-bottom: 0.5rem; }
    /* A table of people or keys becomes one card per row, each value under its column's name. */
    table.cards, table.cards tbody, table.cards tr, table.cards td { display: block; }
    table.cards { background: none; }
    table.cards thead, table.cards thead tr { display: block; }
    table.cards th { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
    /* A header row with nothing to show (its names are read out, not seen) is no card; a caption spans the width. */
    table.cards thead tr:not(:has(input[data-select-all]:not([hidden]))) { border: 0; padding: 0; margin: 0; }
    table.cards caption { display: block; text-align: start; font-weight: 600; }
    /* Above the cards, the box that ticks them all, once the script shows it, with its words. */
    table.cards th:has(input[data-select-all]:not([hidden])) { position: static; display: block; width: auto; height: auto; clip: auto; border: 0; padding: 0.25rem 0; font-weight: 400; }
    table.cards .select-all { display: flex; align-items: center; gap: 0.5rem; }
    table.cards .select-all span { position: static; width: auto; height: auto; clip: auto; overflow: visible; white-space: normal; }
    table.cards tr { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 0.5rem 1rem; margin-bottom: 0.75rem; }
    table.cards td { border: 0; padding: 0.25rem 0; }
    table.cards td[data-label]::before { content: attr(data-label); display: block; font-size: 0.85rem; font-weight: 600; color: var(--muted); }
    table.cards td[data-label]:empty { display: none; }
    /* A row's checkbox sits on the line of the name it selects. */
    table.cards td.pick, table.cards td.pick + td { display: inline-block; vertical-align: middle; }
    table.cards td.pick { margin-right: 0.5rem; }
    table.cards td.pick + td { max-width: calc(100% - 2.5rem); }
    form.inline { flex-wrap: wrap; }
  }
`;
