// "Your public page" (/admin/profile): every member, a host above all, gives the name participants
// should see and gets a public page of the sessions they host (members/public-page.ts), with its
// address and the element's snippet to copy. Blank removes the page.

import type { Context } from "hono";
import { Hono } from "hono";
import type { Locale } from "../i18n/locales";
import { hostPagePath } from "../listings/service";
import { listMembers } from "../members/members";
import { PUBLIC_NAME_MAX, PublicName, setPublicName } from "../members/public-page";
import { readOrg } from "../orgs/orgs";
import type { AdminEnv } from "./context";
import { ErrorSummary, type FieldErrors, InputField } from "./fields";
import { messagePage } from "./guard";
import { AdminPage, CsrfField, noticeOf, ShareCard } from "./layout";

const words = {
  en: {
    title: "Your public page",
    intro:
      "A page of the upcoming sessions you host, for the people you run them with: they see them and join from it. It shows the name you give here, and nothing else of yours.",
    name: "Your name as participants see it",
    nameHint: `Up to ${PUBLIC_NAME_MAX} characters, such as Marie Curie or Coach Marie. Leave it empty to have no public page.`,
    invalid: `Enter your name on one line, in at most ${PUBLIC_NAME_MAX} characters.`,
    save: "Save",
    saved: "Saved.",
    removed: "Your public page is removed: its address no longer works.",
    url: "Its address",
    urlHint: "It lists the sessions you host that are upcoming and in the public listing.",
    embed: "On your own site",
    embedHint: "Paste these lines where the list of your sessions should appear; it keeps itself up to date.",
    none: "You have no public page yet: give your name above to have one.",
    noOrgSlug: (org: string) =>
      `${org} has no public address yet, so your page has none either: an owner or an admin gives it one in Settings, under Public listing.`,
  },
  fr: {
    title: "Votre page publique",
    intro:
      "Une page des séances à venir que vous animez, pour les personnes avec qui vous les menez : elles les y voient et s’y inscrivent. Elle affiche le nom que vous donnez ici, et rien d’autre de vous.",
    name: "Votre nom tel que les participants le voient",
    nameHint: `${PUBLIC_NAME_MAX} caractères au plus, comme Marie Curie ou Coach Marie. Laissez vide pour ne pas avoir de page publique.`,
    invalid: `Saisissez votre nom sur une ligne, en ${PUBLIC_NAME_MAX} caractères au plus.`,
    save: "Enregistrer",
    saved: "Enregistré.",
    removed: "Votre page publique est supprimée : son adresse ne fonctionne plus.",
    url: "Son adresse",
    urlHint: "Elle liste les séances à venir que vous animez et qui figurent dans la liste publique.",
    embed: "Sur votre propre site",
    embedHint: "Collez ces lignes là où la liste de vos séances doit apparaître ; elle se tient à jour d’elle-même.",
    none: "Vous n’avez pas encore de page publique : donnez votre nom ci-dessus pour en avoir une.",
    noOrgSlug: (org: string) =>
      `${org} n’a pas encore d’adresse publique, votre page non plus : un propriétaire ou un admin lui en donne une dans Réglages, sous Liste publique.`,
  },
} satisfies Record<Locale, Record<string, unknown>>;

export const publicPagePages = new Hono<AdminEnv>();

async function page(c: Context<AdminEnv>, opts: { value?: string; errors?: FieldErrors; status?: 200 | 422 } = {}) {
  const admin = c.var.admin;
  const w = words[c.var.locale];
  const [org, all] = await Promise.all([readOrg(c.env.DB, admin.orgId), listMembers(c.env.DB, admin.orgId)]);
  const me = all.find((m) => m.id === admin.memberId);
  if (!org || !me) return messagePage(c, 404, "404", c.var.t.errors.notFound);
  const errors = opts.errors ?? {};
  const origin = new URL(c.req.url).origin;
  // Their page has an address once they have a name and the org has one.
  const share =
    org.slug && me.publicSlug
      ? {
          url: `${origin}${hostPagePath(org.slug, me.publicSlug)}`,
          snippet: `<script type="module" src="${origin}/widget/rollcall.js"></script>\n<rollcall-sessions org="${org.slug}" host="${me.publicSlug}"></rollcall-sessions>`,
        }
      : null;
  const notice = noticeOf(c, { saved: w.saved, removed: w.removed });
  return c.html(
    <AdminPage t={c.var.t} locale={c.var.locale} admin={admin} title={w.title} current="profile" notice={notice}>
      <h1>{w.title}</h1>
      <p>{w.intro}</p>
      <ErrorSummary t={c.var.t} errors={errors} labels={{ publicName: w.name }} />
      <form method="post" action="/admin/profile" class="card" novalidate>
        <CsrfField admin={admin} />
        <InputField
          name="publicName"
          label={w.name}
          hint={w.nameHint}
          value={opts.value ?? me.publicName ?? ""}
          errors={errors}
          attrs={{ maxlength: PUBLIC_NAME_MAX, autocomplete: "name" }}
        />
        <button type="submit">{w.save}</button>
      </form>
      {!me.publicSlug ? (
        <p>{w.none}</p>
      ) : !share ? (
        <p>{w.noOrgSlug(org.name)}</p>
      ) : (
        <ShareCard
          t={c.var.t}
          id="public"
          url={share.url}
          urlLabel={w.url}
          urlHint={w.urlHint}
          snippet={share.snippet}
          snippetLabel={w.embed}
          snippetHint={w.embedHint}
        />
      )}
    </AdminPage>,
    opts.status ?? 200,
  );
}

publicPagePages.get("/profile", (c) => page(c));

publicPagePages.post("/profile", async (c) => {
  const body = await c.req.parseBody();
  const value = typeof body.publicName === "string" ? body.publicName : "";
  const parsed = PublicName.safeParse(value);
  if (!parsed.success) return page(c, { value, errors: { publicName: words[c.var.locale].invalid }, status: 422 });
  const saved = await setPublicName(c.env.DB, c.var.admin.orgId, c.var.admin.memberId, parsed.data);
  if (!saved.ok) return messagePage(c, 404, "404", c.var.t.errors.notFound);
  return c.redirect(`/admin/profile?notice=${parsed.data ? "saved" : "removed"}`, 303);
});
