// The words of the participant picker in English (the shared ones included).

import { plural } from "../../worker/i18n/plural";
import { en } from "../i18n/en";

const n = (count: number, one: string, other: string) => plural("en", count, one, other);
const people = (count: number) => n(count, `${count} person`, `${count} people`);

export const pickerEn = {
  ...en,
  title: "Choose from your people",
  picked: (count: number) => n(count, `${count} person chosen from your people`, `${count} people chosen from your people`),
  removePicked: "Remove the people chosen",
  people,
  search: "Search by name or email",
  filters: "Filters",
  group: "Group",
  anyGroup: "All groups",
  type: "Type",
  tag: "Tag",
  wholeGroups: "Whole groups",
  wholeGroupsChosen: (count: number) => `Whole groups (${count} chosen)`,
  groupChoice: (name: string, count: number) => `${name} (${people(count)})`,
  results: "People",
  keys: "Arrow keys move through the list, Space selects or clears a person.",
  matches: (count: number) => (count ? n(count, `${count} person matches.`, `${count} people match.`) : "No one matches."),
  selectAll: (count: number) => `Select all ${count} matching`,
  tooManyToSelect: (max: number) => `More than ${max} match: narrow the search to select them all.`,
  clear: "Clear the choice",
  more: "Show more",
  noEmail: "no email address",
  inChosenGroup: "in a group chosen",
  chosen: (count: number, max: number) => `${people(count)} chosen of ${max}`,
  over: (max: number) => `At most ${max} people at a time: remove some people or a group.`,
  withoutEmail: (count: number) =>
    n(
      count,
      `${count} person chosen has no email address and will not be invited.`,
      `${count} people chosen have no email address and will not be invited.`,
    ),
  added: (who: string, count: number, max: number) => `${who} chosen: ${count} of ${max}.`,
  removed: (who: string, count: number, max: number) => `${who} removed: ${count} of ${max}.`,
  done: "Done",
};
