ALTER TABLE `contacts` ADD `created_from` text;--> statement-breakpoint
ALTER TABLE `invitations` ADD `contact_id` text;--> statement-breakpoint
CREATE INDEX `invitations_contact` ON `invitations` (`contact_id`);--> statement-breakpoint
ALTER TABLE `registrations` ADD `contact_id` text;--> statement-breakpoint
CREATE INDEX `registrations_contact` ON `registrations` (`contact_id`);