// The rules of an org's settings, without I/O: what a patch makes of them, what it changes, and
// who may make those changes. The invitation link template, the reply-to address and the allowed
// embed origins decide where invitations send people, where their answers go and which sites may
// use the admin elements; the retention period decides when people's data is deleted (shortening
// it deletes data at the next hourly purge); the settings for hosts decide what members with the
// host role may do: only an owner changes them.

import type { Role } from "../auth/admin-sessions";
import type { OrgSettings } from "../db/schema";
import type { Failure } from "../errors/problem";

export const OWNER_ONLY_SETTINGS = [
  "replyTo",
  "embedOrigins",
  "invitationLinkTemplate",
  "retentionMonths",
  "hostsCanCreateSessions",
  "hostsCanInvite",
  "hostLabel",
] as const satisfies readonly (keyof OrgSettings)[];

/** The org's name and settings, as a patch sees them. */
export type OrgState = { name: string; slug: string | null; settings: OrgSettings };

/** A patch: a new name, and settings to set (`null` clears one; absent leaves it). */
export type OrgStatePatch = { name?: string; slug?: string | null; settings?: { [K in keyof OrgSettings]?: OrgSettings[K] | null } };

/** One field's change; `null` stands for unset. */
export type SettingChange = { field: "name" | "slug" | keyof OrgSettings; from: unknown; to: unknown };

/** Display order of the fields, as the settings form lists them. */
export const SETTINGS_FIELDS = [
  "name",
  "slug",
  "senderName",
  "replyTo",
  "embedOrigins",
  "invitationLinkTemplate",
  "defaultLocale",
  "retentionMonths",
  "hostsCanCreateSessions",
  "hostsCanInvite",
  "hostLabel",
] as const;

export function applyPatch(current: OrgState, patch: OrgStatePatch): OrgState {
  const settings: OrgSettings = { ...current.settings };
  for (const [k, v] of Object.entries(patch.settings ?? {})) {
    if (v === null || v === undefined) delete settings[k as keyof OrgSettings];
    else (settings as Record<string, unknown>)[k] = v;
  }
  return { name: patch.name ?? current.name, slug: patch.slug === undefined ? current.slug : patch.slug, settings };
}

export function settingChanges(before: OrgState, after: OrgState): SettingChange[] {
  const value = (state: OrgState, field: (typeof SETTINGS_FIELDS)[number]) =>
    field === "name" ? state.name : field === "slug" ? state.slug : (state.settings[field] ?? null);
  return SETTINGS_FIELDS.flatMap((field) => {
    const [from, to] = [value(before, field), value(after, field)];
    return JSON.stringify(from) === JSON.stringify(to) ? [] : [{ field, from, to }];
  });
}

/** Why `role` may not make these changes, or null when it may. */
export function settingsRefusal(role: Role, changes: SettingChange[]): Failure | null {
  const ownerOnly = changes.filter((c) => (OWNER_ONLY_SETTINGS as readonly string[]).includes(c.field));
  if (role === "owner" || ownerOnly.length === 0) return null;
  return {
    code: "forbidden",
    detail: `Only an owner (or a key answering to one) can change ${ownerOnly.map((c) => c.field).join(", ")}.`,
  };
}
