// Attaching sessions and assigning groups, with the invitations they start: the assigned groups'
// members are invited to a session just attached, and a group just assigned is invited to the
// program's sessions. One path for POST /v1/programs/{id}/sessions|groups and the hosted admin.

import { type Outcome, ok } from "../errors/problem";
import { createInvitationJob, type JobView } from "./fanout";
import type { ProgramView } from "./schemas";
import { assignGroups, attachSessions } from "./service";

export async function attachSessionsAndInvite(
  env: Env,
  orgId: string,
  programId: string,
  sessionIds: string[],
  now: Date,
): Promise<Outcome<{ program: ProgramView; job: JobView | null }>> {
  const attached = await attachSessions(env.DB, orgId, programId, sessionIds, now);
  if (!attached.ok) return attached;
  const program = attached.value;
  if (!program.groups.length) return ok({ program, job: null });
  const job = await createInvitationJob(env, { orgId, programId, trigger: "sessions", sessionIds }, now);
  return job.ok ? ok({ program, job: job.value }) : job;
}

export async function assignGroupsAndInvite(
  env: Env,
  orgId: string,
  programId: string,
  groupIds: string[],
  now: Date,
): Promise<Outcome<{ program: ProgramView; job: JobView | null }>> {
  const assigned = await assignGroups(env.DB, orgId, programId, groupIds, now);
  if (!assigned.ok) return assigned;
  const program = assigned.value;
  if (!program.sessions.length) return ok({ program, job: null });
  const job = await createInvitationJob(env, { orgId, programId, trigger: "groups", groupIds }, now);
  return job.ok ? ok({ program, job: job.value }) : job;
}
