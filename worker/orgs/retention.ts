// How long an organisation keeps personal data that no longer serves a session: closed records
// (cancelled, declined, expired), everything about sessions long over, and the mail log. An org
// setting; worker/privacy/ purges by it.

import type { OrgSettings } from "../db/schema";

export const DEFAULT_RETENTION_MONTHS = 18;
export const MIN_RETENTION_MONTHS = 1;
export const MAX_RETENTION_MONTHS = 120;

export const retentionMonthsOf = (settings: OrgSettings): number => settings.retentionMonths ?? DEFAULT_RETENTION_MONTHS;
