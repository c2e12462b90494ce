// Request and response shapes of programs: a named series of sessions with groups assigned.

import { z } from "@hono/zod-openapi";
import { because } from "../errors/fields";
import { isPlainText, PLAIN_TEXT } from "../http/text";
import { LOCALES } from "../i18n/locales";
import { EDITED_TEXTS, INVITATION_TEXTS, SendWhen } from "../invitations/schemas";
import { canonicalTimeZone } from "../sessions/rules";
import { isIanaTimeZone } from "../time/zoned";

const Day = z.iso.date({ message: "must be a date such as 2027-09-01" });
const Name = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine(isPlainText, PLAIN_TEXT)
  .refine((v) => !/[\r\n]/.test(v), because("not_one_line", "must be on one line"));
const TimeZone = z
  .string()
  .max(64)
  .refine(isIanaTimeZone, because("not_a_time_zone", "must be an IANA time zone such as Europe/Paris"))
  .transform(canonicalTimeZone);

const programFields = {
  name: Name.openapi({ example: "Autumn training 2027" }),
  startsOn: Day.openapi({ description: "The first day, in the program's zone. Invitations to a program not started go out that day." }),
  endsOn: Day.nullable(),
  timeZone: TimeZone.openapi({ example: "Europe/Paris" }),
  locale: z.enum(LOCALES).nullable().openapi({
    description:
      "The language of the program's invitations for people without a language of their own (a contact who chose one gets theirs); null: the org's default language.",
  }),
};

const ordered = (b: { startsOn?: string; endsOn?: string | null }) => !b.startsOn || !b.endsOn || b.endsOn >= b.startsOn;

export const CreateProgramBody = z
  .object({ ...programFields, endsOn: programFields.endsOn.optional(), locale: programFields.locale.optional() })
  .strict()
  .refine(ordered, { ...because("ends_before_start", "must not be before startsOn"), path: ["endsOn"] })
  .openapi("NewProgram");

export const UpdateProgramBody = z
  .object(programFields)
  .partial()
  .strict()
  .refine((b) => Object.keys(b).length > 0, because("nothing_to_change", "name at least one field to change"))
  .openapi("UpdateProgram");

export const ProgramSessionSchema = z
  .object({ id: z.string(), title: z.string(), startsAt: z.string(), timeZone: z.string(), status: z.string() })
  .openapi("ProgramSession");

export const ProgramSchema = z
  .object({
    id: z.string().openapi({ example: "prg_0h4k8m2q9rvt3x7c1a5d" }),
    name: z.string(),
    startsOn: z.string(),
    endsOn: z.string().nullable(),
    timeZone: z.string(),
    locale: z.enum(LOCALES).nullable(),
    sessions: z.array(ProgramSessionSchema),
    groups: z.array(z.object({ id: z.string(), name: z.string(), memberCount: z.number().int() })),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Program");

export const ProgramSessionsBody = z
  .object({ sessionIds: z.array(z.string().max(64)).min(1).max(100) })
  .strict()
  .openapi("ProgramSessions");

export const ProgramGroupsBody = z
  .object({ groupIds: z.array(z.string().max(64)).min(1).max(50) })
  .strict()
  .openapi("ProgramGroups");

export const ProgramRosterSchema = z
  .object({
    sessions: z.array(ProgramSessionSchema),
    people: z.array(
      z.object({
        email: z.string(),
        name: z.string().nullable(),
        contactId: z.string().nullable(),
        /** One entry per session, in the order of `sessions`: the person's status there, or null. */
        statuses: z.array(z.string().nullable()),
      }),
    ),
  })
  .openapi("ProgramRoster");

export type CreateProgramInput = z.infer<typeof CreateProgramBody>;
export type UpdateProgramInput = z.infer<typeof UpdateProgramBody>;
export type ProgramView = z.infer<typeof ProgramSchema>;

export const ProgramInvitationsBody = z
  .object({
    groupIds: z.array(z.string().max(64)).max(50).optional().openapi({ description: "Their members, as they are now." }),
    contactIds: z.array(z.string().max(64)).max(5000).optional(),
    holdSeat: z
      .boolean()
      .default(false)
      .openapi({ description: "Hold a seat in every session for each person invited; a session without enough seats refuses its chunk." }),
    subject: INVITATION_TEXTS.subject.openapi({ description: "The program email's subject, instead of \"You're invited: {program}\"." }),
    buttonText: INVITATION_TEXTS.buttonText.openapi({ description: 'Its button\'s words, instead of "See the sessions and answer".' }),
    message: INVITATION_TEXTS.message.openapi({ description: "A message of the organiser's own, quoted in the email." }),
    send: SendWhen.default("now").openapi({
      description:
        "`later` creates the invitations and keeps the program emails to send: nobody is emailed until " +
        "POST /programs/{id}/invitation-jobs/{jobId}/send.",
    }),
  })
  .strict()
  .openapi("ProgramInvitations", {
    description:
      "Who to invite to every session of the program that is not cancelled and has not ended; the program's assigned groups when neither list is given.",
  });

/** POST /v1/programs/{id}/invitation-jobs/{jobId}/send: the program email's words may change before it goes (seed 002). */
export const SendProgramJobBody = z
  .object(EDITED_TEXTS)
  .strict()
  .openapi("SendProgramInvitationJob", {
    description:
      'The program email\'s words, changed as it is sent (seed 002: "you can edit the invitation email before sending it"). ' +
      "A field left out keeps the job's words; null gives the email's own back, in each person's language.",
  });
export type EditedWords = z.infer<typeof SendProgramJobBody>;

export const InvitationJobSchema = z
  .object({
    id: z.string().openapi({ example: "job_0h4k8m2q9rvt3x7c1a5d" }),
    programId: z.string(),
    trigger: z.enum(["invitations", "groups", "members", "sessions"]).openapi({
      description: "What made the job: this route, a group assigned, a member added to an assigned group, a session attached.",
    }),
    status: z.enum(["running", "done"]),
    holdSeat: z.boolean(),
    send: SendWhen.openapi({
      description:
        "`later` while the job's program emails are kept to send (POST …/send sends them); `now` once they go, or went, " +
        "as soon as the job is done (on the program's first day when it has not started).",
    }),
    subject: z.string().nullable(),
    buttonText: z.string().nullable(),
    message: z.string().nullable(),
    people: z.number().int(),
    sessions: z.number().int(),
    total: z.number().int().openapi({ description: "Pairs to invite: eligible people × sessions." }),
    done: z.number().int().openapi({ description: "Pairs handled: invited, or already invited or registered there." }),
    failed: z.number().int(),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .openapi("InvitationJob");

export const InvitationJobDetailSchema = z
  .object({
    job: InvitationJobSchema,
    failures: z.array(
      z.object({
        contactId: z.string(),
        email: z.string().nullable(),
        name: z.string().nullable(),
        sessionId: z.string().nullable().openapi({ description: "null when the person could not be invited anywhere" }),
        sessionTitle: z.string().nullable(),
        reason: z.string().openapi({
          description:
            "A problem code: contact_deactivated, no_email, phone_only (an SMS contact without an email address: add one), capacity_full, session_cancelled…",
        }),
      }),
    ),
  })
  .openapi("InvitationJobDetail");
