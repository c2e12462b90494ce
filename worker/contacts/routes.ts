// /v1/contacts and /v1/groups: the org's directory.

import { createRoute, z } from "@hono/zod-openapi";
import { directoryAccess, orgCaller } from "../auth/middleware";
import type { Action } from "../auth/permissions";
import { problem, unwrap } from "../errors/problem";
import { router } from "../http/app";
import type { Caller } from "../http/context";
import { AUTH_PROBLEMS, bodyProblems, IdParam, jsonBody, jsonResponse, problems } from "../http/openapi";
import { changeMembers, createGroup, deleteGroup, listGroups, readGroup, renameGroup } from "./groups";
import { contactHistory } from "./history";
import { IMPORT_TEMPLATE } from "./import";
import { type Contact, pickerView } from "./picker";
import {
  ContactHistorySchema,
  ContactListSchema,
  ContactQuery,
  ContactSchema,
  CreateContactsBody,
  GroupBody,
  GroupSchema,
  ImportBody,
  ImportResultSchema,
  MembersBody,
  PastedContactsResult,
  UpdateContactBody,
} from "./schemas";
import { createOneContact, createPastedContacts, editContact, eraseContactEverywhere, importContacts, importResult } from "./service";
import { listContacts, readContact } from "./store";

const tags = ["Contacts"];
const groupTags = ["Groups"];

const route = <const M extends "get" | "post" | "patch" | "delete", const P extends string>(
  method: M,
  path: P,
  summary: string,
  t = tags,
  host?: Action,
) => ({
  method,
  path,
  tags: t,
  summary,
  ...directoryAccess(method, host),
});

const list = createRoute({
  ...route("get", "/contacts", "List and search contacts"),
  operationId: "listContacts",
  request: { query: ContactQuery },
  responses: {
    200: jsonResponse(ContactListSchema, "A page of contacts"),
    ...problems(...AUTH_PROBLEMS),
  },
});

const create = createRoute({
  ...route("post", "/contacts", "Create contacts: one with every field, or up to 200 pasted addresses"),
  operationId: "createContacts",
  request: { body: jsonBody(CreateContactsBody) },
  responses: {
    201: jsonResponse(z.union([ContactSchema, PastedContactsResult]), "The contact, or the contacts created and found"),
    ...bodyProblems(...AUTH_PROBLEMS, "forbidden", "invalid_emails", "too_many_recipients", "contact_exists"),
  },
});

const read = createRoute({
  // A contact's whole record is the org's: a host searches the picker, never reads a record.
  ...route("get", "/contacts/{id}", "Read a contact", tags, "org"),
  operationId: "getContact",
  request: { params: IdParam },
  responses: {
    200: jsonResponse(ContactSchema, "The contact"),
    ...problems(...AUTH_PROBLEMS, "forbidden", "not_found"),
  },
});

const edit = createRoute({
  ...route("patch", "/contacts/{id}", "Edit a contact; `status: deactivated` deactivates now"),
  operationId: "updateContact",
  request: { params: IdParam, body: jsonBody(UpdateContactBody) },
  responses: {
    200: jsonResponse(ContactSchema, "The contact"),
    ...bodyProblems(...AUTH_PROBLEMS, "forbidden", "not_found", "contact_exists"),
  },
});

const history = createRoute({
  // Across every session of the org: never a host's, who sees only the sessions they host.
  ...route(
    "get",
    "/contacts/{id}/history",
    "A contact's invitations and registrations across the org's sessions, newest session first",
    tags,
    "org",
  ),
  operationId: "getContactHistory",
  request: { params: IdParam },
  responses: {
    200: jsonResponse(ContactHistorySchema, "The contact's history"),
    ...problems(...AUTH_PROBLEMS, "forbidden", "not_found"),
  },
});

const erase = createRoute({
  ...route(
    "delete",
    "/contacts/{id}",
    "Erase a contact's personal data, in the directory and in every session's roster (counts and history keep an anonymous row)",
  ),
  operationId: "eraseContact",
  request: { params: IdParam },
  responses: {
    200: jsonResponse(z.object({ id: z.string() }), "Erased"),
    ...problems(...AUTH_PROBLEMS, "forbidden", "not_found"),
  },
});

const importRoute = createRoute({
  ...route("post", "/contacts/import", "Import contacts from CSV (dryRun: true shows each row's verdict and writes nothing)"),
  operationId: "importContacts",
  request: { body: jsonBody(ImportBody) },
  responses: {
    200: jsonResponse(ImportResultSchema, "Each row's verdict; `applied` when the contacts were written"),
    ...bodyProblems(...AUTH_PROBLEMS, "forbidden", "invalid_csv", "import_has_errors", "idempotency_conflict"),
  },
});

const template = createRoute({
  ...route("get", "/contacts/import/template", "The CSV template (header and one example row)"),
  operationId: "getContactImportTemplate",
  responses: {
    200: { content: { "text/csv": { schema: z.string() } }, description: "The template" },
    ...problems(...AUTH_PROBLEMS),
  },
});

const groupList = createRoute({
  ...route("get", "/groups", "List groups", groupTags),
  operationId: "listGroups",
  responses: {
    200: jsonResponse(z.object({ groups: z.array(GroupSchema) }), "The org's groups"),
    ...problems(...AUTH_PROBLEMS),
  },
});

const groupCreate = createRoute({
  ...route("post", "/groups", "Create a group", groupTags),
  operationId: "createGroup",
  request: { body: jsonBody(GroupBody) },
  responses: {
    201: jsonResponse(GroupSchema, "The group"),
    ...bodyProblems(...AUTH_PROBLEMS, "forbidden", "group_exists"),
  },
});

const groupRead = createRoute({
  ...route("get", "/groups/{id}", "Read a group", groupTags),
  operationId: "getGroup",
  request: { params: IdParam },
  responses: {
    200: jsonResponse(GroupSchema, "The group"),
    ...problems(...AUTH_PROBLEMS, "not_found"),
  },
});

const groupRename = createRoute({
  ...route("patch", "/groups/{id}", "Rename a group", groupTags),
  operationId: "updateGroup",
  request: { params: IdParam, body: jsonBody(GroupBody) },
  responses: {
    200: jsonResponse(GroupSchema, "The group"),
    ...bodyProblems(...AUTH_PROBLEMS, "forbidden", "not_found", "group_exists"),
  },
});

const groupDelete = createRoute({
  ...route("delete", "/groups/{id}", "Delete a group (its members stay in the directory)", groupTags),
  operationId: "deleteGroup",
  request: { params: IdParam },
  responses: {
    200: jsonResponse(z.object({ id: z.string() }), "Deleted"),
    ...problems(...AUTH_PROBLEMS, "forbidden", "not_found"),
  },
});

const memberList = createRoute({
  ...route("get", "/groups/{id}/members", "List a group's members", groupTags),
  operationId: "listGroupMembers",
  request: { params: IdParam, query: ContactQuery.omit({ group: true }) },
  responses: {
    200: jsonResponse(ContactListSchema, "A page of the group's members"),
    ...problems(...AUTH_PROBLEMS, "not_found"),
  },
});

const MembershipResult = z.object({ group: GroupSchema, changed: z.number().int() }).openapi("MembershipChange");

const memberAdd = createRoute({
  ...route("post", "/groups/{id}/members", "Add contacts to a group (those already in it stay)", groupTags),
  operationId: "addGroupMembers",
  request: { params: IdParam, body: jsonBody(MembersBody) },
  responses: {
    200: jsonResponse(MembershipResult, "The group"),
    ...bodyProblems(...AUTH_PROBLEMS, "forbidden", "not_found"),
  },
});

const memberRemove = createRoute({
  ...route("delete", "/groups/{id}/members", "Remove contacts from a group", groupTags),
  operationId: "removeGroupMembers",
  request: { params: IdParam, body: jsonBody(MembersBody) },
  responses: {
    200: jsonResponse(MembershipResult, "The group"),
    ...bodyProblems(...AUTH_PROBLEMS, "forbidden", "not_found"),
  },
});

/** A host's picker gets the org's contacts without what is the org's own (pickerView). */
function forCaller<L extends { contacts: Contact[] }>(caller: Caller, list: L): L {
  const host = caller.kind === "widget" && caller.member?.role === "host";
  return host ? { ...list, contacts: list.contacts.map(pickerView) } : list;
}

export const contactRoutes = router()
  .openapi(list, async (c) =>
    c.json(forCaller(c.var.caller, await listContacts(c.env.DB, orgCaller(c.var.caller).orgId, c.req.valid("query"))), 200),
  )
  .openapi(template, (c) =>
    c.body(IMPORT_TEMPLATE, 200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": 'attachment; filename="contacts-template.csv"',
    }),
  )
  .openapi(importRoute, async (c) => {
    const orgId = orgCaller(c.var.caller).orgId;
    return c.json(importResult(unwrap(await importContacts(c.env, orgId, c.req.valid("json"), c.var.clock.now()))), 200);
  })
  .openapi(create, async (c) => {
    const orgId = orgCaller(c.var.caller).orgId;
    const body = c.req.valid("json");
    const now = c.var.clock.now();
    if ("recipients" in body && body.recipients !== undefined)
      return c.json(unwrap(await createPastedContacts(c.env, orgId, body, now)), 201);
    return c.json(unwrap(await createOneContact(c.env, orgId, body, now)), 201);
  })
  .openapi(read, async (c) => {
    const contact = await readContact(c.env.DB, orgCaller(c.var.caller).orgId, c.req.valid("param").id);
    return contact ? c.json(contact, 200) : problem("not_found", "No such contact.");
  })
  .openapi(history, async (c) => {
    const orgId = orgCaller(c.var.caller).orgId;
    return c.json(unwrap(await contactHistory(c.env.DB, orgId, c.req.valid("param").id, c.var.clock.now())), 200);
  })
  .openapi(edit, async (c) => {
    const orgId = orgCaller(c.var.caller).orgId;
    return c.json(unwrap(await editContact(c.env, orgId, c.req.valid("param").id, c.req.valid("json"), c.var.clock.now())), 200);
  })
  .openapi(erase, async (c) => {
    const orgId = orgCaller(c.var.caller).orgId;
    return c.json(unwrap(await eraseContactEverywhere(c.env, orgId, c.req.valid("param").id, c.var.clock)), 200);
  })
  .openapi(groupList, async (c) => c.json({ groups: await listGroups(c.env.DB, orgCaller(c.var.caller).orgId) }, 200))
  .openapi(groupCreate, async (c) => {
    const orgId = orgCaller(c.var.caller).orgId;
    return c.json(unwrap(await createGroup(c.env.DB, orgId, c.req.valid("json").name, c.var.clock.now())), 201);
  })
  .openapi(groupRead, async (c) => {
    const group = await readGroup(c.env.DB, orgCaller(c.var.caller).orgId, c.req.valid("param").id);
    return group ? c.json(group, 200) : problem("not_found", "No such group.");
  })
  .openapi(groupRename, async (c) => {
    const orgId = orgCaller(c.var.caller).orgId;
    return c.json(unwrap(await renameGroup(c.env.DB, orgId, c.req.valid("param").id, c.req.valid("json").name, c.var.clock.now())), 200);
  })
  .openapi(groupDelete, async (c) => {
    const orgId = orgCaller(c.var.caller).orgId;
    return c.json(unwrap(await deleteGroup(c.env.DB, orgId, c.req.valid("param").id)), 200);
  })
  .openapi(memberList, async (c) => {
    const orgId = orgCaller(c.var.caller).orgId;
    const { id } = c.req.valid("param");
    if (!(await readGroup(c.env.DB, orgId, id))) problem("not_found", "No such group.");
    return c.json(forCaller(c.var.caller, await listContacts(c.env.DB, orgId, { ...c.req.valid("query"), group: id })), 200);
  })
  .openapi(memberAdd, async (c) => {
    const orgId = orgCaller(c.var.caller).orgId;
    const { group, changed } = unwrap(
      await changeMembers(c.env, orgId, c.req.valid("param").id, c.req.valid("json").contactIds, "add", c.var.clock.now()),
    );
    return c.json({ group, changed }, 200);
  })
  .openapi(memberRemove, async (c) => {
    const orgId = orgCaller(c.var.caller).orgId;
    const { group, changed } = unwrap(
      await changeMembers(c.env, orgId, c.req.valid("param").id, c.req.valid("json").contactIds, "remove", c.var.clock.now()),
    );
    return c.json({ group, changed }, 200);
  });
