-- Written by hand (drizzle-kit generates neither virtual tables nor triggers): keep this file as it
-- is when the migrations are generated again from worker/db/schema.ts.
--
-- contact_search: a trigram index of contacts.search (FTS5, external content: the text stays in
-- contacts), so that searching 3 characters or more of a name or address reads the contacts that
-- hold them instead of every contact of the org. case_sensitive 1: search and the searched text
-- are both lower-cased by the worker, so a match is exactly instr(search, text) > 0.
-- contact_tags (declared in schema.ts) mirrors contacts.tags, one row per tag.
-- Triggers keep both equal to contacts whatever writes it; the two INSERTs at the end fill them
-- for the contacts that exist already.
-- Note: `wrangler d1 export` refuses a database holding an FTS5 table; to export, drop
-- contact_search and the three contacts_search_* triggers, then create them again as below and run
-- `INSERT INTO contact_search(contact_search) VALUES ('rebuild')`.
CREATE VIRTUAL TABLE `contact_search` USING fts5(search, content='contacts', content_rowid='rowid', tokenize='trigram case_sensitive 1', columnsize=0);
--> statement-breakpoint
CREATE TRIGGER `contacts_search_insert` AFTER INSERT ON `contacts` BEGIN
  INSERT INTO contact_search (rowid, search) VALUES (new.rowid, new.search);
END;
--> statement-breakpoint
CREATE TRIGGER `contacts_search_update` AFTER UPDATE OF search ON `contacts` WHEN old.search IS NOT new.search BEGIN
  INSERT INTO contact_search (contact_search, rowid, search) VALUES ('delete', old.rowid, old.search);
  INSERT INTO contact_search (rowid, search) VALUES (new.rowid, new.search);
END;
--> statement-breakpoint
CREATE TRIGGER `contacts_search_delete` AFTER DELETE ON `contacts` BEGIN
  INSERT INTO contact_search (contact_search, rowid, search) VALUES ('delete', old.rowid, old.search);
END;
--> statement-breakpoint
CREATE TRIGGER `contacts_tags_insert` AFTER INSERT ON `contacts` BEGIN
  INSERT OR IGNORE INTO contact_tags (org_id, tag, contact_id) SELECT new.org_id, value, new.id FROM json_each(new.tags);
END;
--> statement-breakpoint
CREATE TRIGGER `contacts_tags_update` AFTER UPDATE OF tags, org_id ON `contacts` WHEN old.tags IS NOT new.tags OR old.org_id IS NOT new.org_id BEGIN
  DELETE FROM contact_tags WHERE contact_id = old.id;
  INSERT OR IGNORE INTO contact_tags (org_id, tag, contact_id) SELECT new.org_id, value, new.id FROM json_each(new.tags);
END;
--> statement-breakpoint
CREATE TRIGGER `contacts_tags_delete` AFTER DELETE ON `contacts` BEGIN
  DELETE FROM contact_tags WHERE contact_id = old.id;
END;
--> statement-breakpoint
INSERT INTO contact_search (contact_search) VALUES ('rebuild');
--> statement-breakpoint
INSERT OR IGNORE INTO contact_tags (org_id, tag, contact_id) SELECT c.org_id, t.value, c.id FROM contacts c, json_each(c.tags) t;
