ALTER TABLE `invitations` ADD `version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `invitations` ADD `projected_version` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `invitations_stale` ON `invitations` (`id`) WHERE version > projected_version;--> statement-breakpoint
ALTER TABLE `registrations` ADD `version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `registrations` ADD `projected_version` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `registrations_stale` ON `registrations` (`id`) WHERE version > projected_version;--> statement-breakpoint
ALTER TABLE `session` ADD `confirmed_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `session` ADD `waitlisted_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `session` ADD `held_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `session` ADD `pending_invitation_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `session` ADD `last_waitlist_seq` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `session` ADD `version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `session` ADD `projected_version` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Ledgers that already hold rows: their counters start from the rows (the same rule as
-- sessions/seats.ts, by stored status; an invitation past its expiry is closed at the next
-- transaction, which takes its seat back), and what the old outbox still owed D1 stays stale.
UPDATE `session` SET
  `confirmed_count` = (SELECT count(*) FROM `registrations` WHERE `status` = 'confirmed'),
  `waitlisted_count` = (SELECT count(*) FROM `registrations` WHERE `status` = 'waitlisted'),
  `held_count` = (SELECT count(*) FROM `invitations` WHERE `hold_seat` = 1 AND `status` IN ('draft', 'scheduled', 'sent')),
  `pending_invitation_count` = (SELECT count(*) FROM `invitations` WHERE `status` IN ('draft', 'scheduled', 'sent')),
  `last_waitlist_seq` = (SELECT coalesce(max(`waitlist_seq`), 0) FROM `registrations`),
  `projected_version` = CASE WHEN EXISTS (SELECT 1 FROM `projection_outbox` WHERE `kind` = 'session') THEN 0 ELSE 1 END;--> statement-breakpoint
UPDATE `registrations` SET `projected_version` = CASE WHEN `id` IN (SELECT `entity_id` FROM `projection_outbox` WHERE `kind` = 'registration') THEN 0 ELSE 1 END;--> statement-breakpoint
UPDATE `invitations` SET `projected_version` = CASE WHEN `id` IN (SELECT `entity_id` FROM `projection_outbox` WHERE `kind` = 'invitation') THEN 0 ELSE 1 END;--> statement-breakpoint
DROP TABLE `projection_outbox`;
