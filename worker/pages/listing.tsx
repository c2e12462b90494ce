// An org's public listing as a hosted page (/o/{slug}): its upcoming listed sessions, each linking
// to its own page (/s/{id}) where anyone joins; and a host's public page (/o/{slug}/hosts/{host},
// members/public-page.ts), the same list narrowed to the sessions they host. Server-rendered and
// complete without JavaScript: the filters are a GET form, the next page a link.

import type { Context } from "hono";
import { Hono } from "hono";
import type { AppEnv } from "../http/context";
import { de } from "../i18n/grammar";
import type { Locale } from "../i18n/locales";
import { negotiateLocale } from "../i18n/negotiate";
import { type ListedSession, ListingQuery } from "../listings/schemas";
import { listingOf } from "../listings/service";
import { HOST_SLUG } from "../members/public-page";
import { formatPrice } from "../sessions/price";
import { sessionTime } from "../time/when";
import { HostedPage, NoticePage, noticeTitles } from "./layout";

const text = {
  en: {
    title: (org: string) => `Upcoming sessions — ${org}`,
    heading: (org: string) => `Upcoming sessions of ${org}`,
    none: "No upcoming sessions.",
    notFound: "No organisation lists its sessions at this address. Check the link you followed, or ask the organisation for its address.",
    hostTitle: (host: string, org: string) => `Sessions with ${host} — ${org}`,
    hostHeading: (host: string) => `Upcoming sessions with ${host}`,
    allOf: (org: string) => `Every session of ${org}`,
    with: (host: string) => `With ${host}`,
    program: "Program",
    tag: "Tag",
    any: "All",
    filter: "Filter",
    more: "More sessions",
    join: "Join",
    waitlist: "Join the waitlist",
    seats: (n: number) => (n === 1 ? "1 seat left" : `${n} seats left`),
    full: "Full",
    closed: "Registration closed",
    notYetOpen: "Registration not open yet",
    sessionsLabel: "Sessions",
    free: "Free",
  },
  fr: {
    title: (org: string) => `Séances à venir — ${org}`,
    heading: (org: string) => `Séances à venir ${de(org)}`,
    none: "Aucune séance à venir.",
    notFound: "Aucune organisation ne liste ses séances à cette adresse. Vérifiez le lien suivi, ou demandez son adresse à l’organisation.",
    hostTitle: (host: string, org: string) => `Séances avec ${host} — ${org}`,
    hostHeading: (host: string) => `Séances à venir avec ${host}`,
    allOf: (org: string) => `Toutes les séances ${de(org)}`,
    with: (host: string) => `Avec ${host}`,
    program: "Programme",
    tag: "Étiquette",
    any: "Tous",
    filter: "Filtrer",
    more: "Plus de séances",
    join: "S’inscrire",
    waitlist: "Rejoindre la liste d’attente",
    seats: (n: number) => (n === 1 ? "1 place restante" : `${n} places restantes`),
    full: "Complet",
    closed: "Inscriptions closes",
    notYetOpen: "Inscriptions pas encore ouvertes",
    sessionsLabel: "Séances",
    free: "Gratuit",
  },
} satisfies Record<Locale, Record<string, unknown>>;

const styles = `
  .sessions { list-style: none; padding: 0; margin: 1rem 0; display: grid; gap: 0.75rem; }
  .sessions li { border: 1px solid #d0d5dd; border-radius: 10px; padding: 0.9rem 1rem; }
  .sessions h2 { font-size: 1.1rem; margin: 0 0 0.25rem; overflow-wrap: anywhere; }
  .sessions p { margin: 0.25rem 0; }
  .tags { color: #5b6470; font-size: 0.9rem; }
  .join { display: inline-block; margin-top: 0.5rem; padding: 0.5rem 1rem; border-radius: 8px; background: #1849a9; color: #fff; text-decoration: none; }
  .join:focus-visible, .more:focus-visible { outline: 3px solid #1849a9; outline-offset: 2px; }
  form.filters { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: end; }
  form.filters label { display: grid; gap: 0.2rem; font-size: 0.9rem; }
  form.filters select { font: inherit; padding: 0.35rem; max-width: 100%; }
  form.filters button { background: #1849a9; }
`;

function seatsLine(s: ListedSession, t: (typeof text)[Locale]): string {
  if (s.registrationState === "closed") return t.closed;
  if (s.registrationState === "not_yet_open") return t.notYetOpen;
  return s.seats.available > 0 ? t.seats(s.seats.available) : t.full;
}

export const listingPage = new Hono<AppEnv>();

listingPage.get("/o/:slug", (c) => listing(c));
listingPage.get("/o/:slug/hosts/:host", (c) => listing(c, c.req.param("host")));

async function listing(c: Context<AppEnv>, hostSlug?: string) {
  const locale = negotiateLocale(c);
  const t = text[locale];
  const { host: _, ...asked } = c.req.query();
  const query = ListingQuery.safeParse({ ...asked, ...(hostSlug === undefined ? {} : { host: hostSlug }) });
  const notFound = () => c.html(<NoticePage locale={locale} title={noticeTitles[locale].notFound} body={t.notFound} />, 404);
  // A bad filter or cursor in the address: show the listing from its start instead (a host's
  // address that could never be one is a page that does not exist).
  if (!query.success && hostSlug !== undefined && !HOST_SLUG.test(hostSlug)) return notFound();
  const parsed = query.success ? query.data : ListingQuery.parse({ host: hostSlug });
  let found = await listingOf(c.env.DB, c.req.param("slug") ?? "", parsed, c.var.clock.now());
  if (!found.ok && found.error.code === "validation_failed")
    found = await listingOf(c.env.DB, c.req.param("slug") ?? "", ListingQuery.parse({ host: hostSlug }), c.var.clock.now());
  if (!found.ok) return notFound();
  const listing = found.value;
  const host = listing.host;
  const { programs, tags } = listing.facets;
  const nextHref = listing.next
    ? `?${new URLSearchParams({
        ...(parsed.program ? { program: parsed.program } : {}),
        ...(parsed.tag ? { tag: parsed.tag } : {}),
        cursor: listing.next,
      })}`
    : null;
  return c.html(
    <HostedPage locale={locale} title={host ? t.hostTitle(host.name, listing.org.name) : t.title(listing.org.name)}>
      <style>{styles}</style>
      <div class="card">
        <h1>{host ? t.hostHeading(host.name) : t.heading(listing.org.name)}</h1>
        {host && (
          <p>
            <a href={`/o/${listing.org.slug}`}>{t.allOf(listing.org.name)}</a>
          </p>
        )}
        {(programs.length > 0 || tags.length > 0) && (
          <form class="filters" method="get">
            {programs.length > 0 && (
              <label>
                {t.program}
                <select name="program">
                  <option value="">{t.any}</option>
                  {programs.map((p) => (
                    <option value={p.id} selected={parsed.program === p.id}>
                      {p.name}
                    </option>
                  ))}
                </select>
              </label>
            )}
            {tags.length > 0 && (
              <label>
                {t.tag}
                <select name="tag">
                  <option value="">{t.any}</option>
                  {tags.map((tag) => (
                    <option value={tag} selected={parsed.tag === tag}>
                      {tag}
                    </option>
                  ))}
                </select>
              </label>
            )}
            <button type="submit">{t.filter}</button>
          </form>
        )}
        {listing.sessions.length === 0 ? (
          <p role="status">{t.none}</p>
        ) : (
          <ul class="sessions" aria-label={t.sessionsLabel}>
            {listing.sessions.map((s) => (
              <li>
                <h2>{s.title}</h2>
                <p>{sessionTime(s.startsAt, s.durationMinutes, s.timeZone, locale)}</p>
                {s.program && <p>{s.program.name}</p>}
                {s.host && !host && (
                  <p>
                    <a href={s.host.url}>{t.with(s.host.name)}</a>
                  </p>
                )}
                <p class="price">{s.price ? formatPrice(s.price, locale) : t.free}</p>
                <p>{seatsLine(s, t)}</p>
                {s.tags.length > 0 && <p class="tags">{s.tags.join(" · ")}</p>}
                {(s.registrationState === "open" || (s.registrationState === "full" && s.waitlist)) && (
                  <a class="join" href={s.url} aria-label={`${s.registrationState === "open" ? t.join : t.waitlist}: ${s.title}`}>
                    {s.registrationState === "open" ? t.join : t.waitlist}
                  </a>
                )}
              </li>
            ))}
          </ul>
        )}
        {nextHref && (
          <p>
            <a class="more" href={nextHref}>
              {t.more}
            </a>
          </p>
        )}
      </div>
    </HostedPage>,
  );
}
