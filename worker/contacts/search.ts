// How a contacts query is answered over a large directory: which set of contacts to start from,
// so that counting and paging read the matches rather than the whole org. Pure; store.ts turns
// the decision into SQL. What matches does not depend on the path taken: a text matches where it
// appears anywhere in "first last address", lower-cased, accents dropped (fields.ts, foldForSearch).

import { foldForSearch } from "./fields";

export type ContactFilter = { q?: string; group?: string; type?: string | string[]; tag?: string; status?: "active" | "deactivated" };

/**
 * Where a query's candidates come from: a group's members, the contacts whose text holds the
 * searched text (the trigram index), or a tag's contacts; null when only the org's index applies
 * (no filter, a type or status, or a text too short for trigrams).
 */
export type SearchDriver = "group" | "text" | "tag" | null;

/** The trigram index finds texts of 3 characters or more; shorter ones are searched row by row. */
export const TRIGRAM = 3;

/**
 * A page is picked among the driver's candidates, and sorted, when they are few; past this many it
 * is cheaper to walk the org's contacts in name order until the page is full. A text's matches
 * share their names (a last name searched), so the walk may cross most of the org to reach them:
 * they are picked up to a larger count than a group's or a tag's, spread over the alphabet.
 */
export const DRIVEN_PAGE_LIMIT: Record<Exclude<SearchDriver, null>, number> = { group: 500, tag: 500, text: 2000 };

/** The searched text as stored texts are written (fields.ts, foldForSearch), or null for none. */
export function searchTerm(q: string | undefined): string | null {
  const term = q === undefined ? "" : foldForSearch(q.trim());
  return term ? term : null;
}

/** The text as an FTS5 phrase: quoted, its own quotes doubled, so every character is literal. */
export const trigramPhrase = (term: string) => `"${term.replaceAll('"', '""')}"`;

export const usesTrigrams = (term: string | null): term is string => term !== null && [...term].length >= TRIGRAM;

/** The smallest set to start from: a group, then a text of 3+ characters, then a tag. */
export function searchDriver(filter: ContactFilter): SearchDriver {
  if (filter.group) return "group";
  if (usesTrigrams(searchTerm(filter.q))) return "text";
  if (filter.tag) return "tag";
  return null;
}

/** Whether the page is taken from the driver's candidates (few) or by walking names in order (many). */
export const drivesPage = (driver: SearchDriver, total: number) => driver !== null && total <= DRIVEN_PAGE_LIMIT[driver];
