-- Every address invited or registered becomes (or matches) a contact of its org, and its
-- invitations and registrations keep that contact's id. New rows are linked by the D1 projection
-- (worker/ledger/projection.ts); this links the rows written before it. Erased rows (no address)
-- get no contact. The key is the address trimmed and lower-cased, as emailKey folds it; SQLite's
-- lower() folds ASCII only, so addresses with other characters are left to the projection's next
-- write of their row rather than given a key that emailKey would not make.
INSERT INTO `contacts` (`id`, `org_id`, `email`, `email_key`, `first_name`, `last_name`, `channel`, `locale`, `type`, `tags`, `status`, `search`, `created_at`, `updated_at`, `created_from`)
SELECT
  'con_' || lower(hex(randomblob(10))),
  p.org_id,
  p.email,
  p.email_key,
  CASE WHEN p.name = '' THEN NULL WHEN p.head = '' THEN p.name ELSE rtrim(p.head) END,
  CASE WHEN p.head = '' OR p.name = '' THEN NULL ELSE substr(p.name, length(p.head) + 1) END,
  'email',
  NULL,
  'member',
  '[]',
  'active',
  lower(trim(p.name || ' ' || p.email)),
  p.created_at,
  p.created_at,
  p.source
FROM (
  SELECT
    org_id,
    email_key,
    email,
    name,
    -- The name up to its last space ("Ada King Lovelace" → "Ada King "): first and last names as the paste splits them.
    rtrim(name, replace(name, ' ', '')) AS head,
    created_at,
    source
  FROM (
    SELECT
      org_id,
      lower(trim(email)) AS email_key,
      trim(email) AS email,
      trim(coalesce(name, '')) AS name,
      created_at,
      source,
      row_number() OVER (PARTITION BY org_id, lower(trim(email)) ORDER BY created_at, source) AS n
    FROM (
      SELECT org_id, email, name, created_at, 'invitation' AS source FROM `invitations` WHERE erased_at IS NULL AND email <> ''
      UNION ALL
      SELECT org_id, email, name, created_at, 'registration' AS source FROM `registrations` WHERE erased_at IS NULL AND email <> ''
    )
    WHERE email NOT GLOB '*[^ -~]*'
  )
  WHERE n = 1
) AS p
WHERE NOT EXISTS (SELECT 1 FROM `contacts` c WHERE c.org_id = p.org_id AND c.email_key = p.email_key);
--> statement-breakpoint
UPDATE `invitations` SET `contact_id` = (
  SELECT c.id FROM `contacts` c WHERE c.org_id = `invitations`.org_id AND c.email_key = lower(trim(`invitations`.email))
)
WHERE contact_id IS NULL AND erased_at IS NULL AND email <> '' AND email NOT GLOB '*[^ -~]*';
--> statement-breakpoint
UPDATE `registrations` SET `contact_id` = (
  SELECT c.id FROM `contacts` c WHERE c.org_id = `registrations`.org_id AND c.email_key = lower(trim(`registrations`.email))
)
WHERE contact_id IS NULL AND erased_at IS NULL AND email <> '' AND email NOT GLOB '*[^ -~]*';
