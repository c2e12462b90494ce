CREATE TABLE `discount_codes` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`code` text NOT NULL,
	`percent_off` integer,
	`amount_off` integer,
	`currency` text,
	`valid_from` text,
	`valid_until` text,
	`max_uses` integer,
	`session_ids` text DEFAULT '[]' NOT NULL,
	`program_ids` text DEFAULT '[]' NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `orgs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `discount_codes_org_code` ON `discount_codes` (`org_id`,`code`);--> statement-breakpoint
CREATE TABLE `discount_redemptions` (
	`discount_id` text NOT NULL,
	`registration_id` text NOT NULL,
	`org_id` text NOT NULL,
	`redeemed_at` text NOT NULL,
	PRIMARY KEY(`discount_id`, `registration_id`),
	FOREIGN KEY (`discount_id`) REFERENCES `discount_codes`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `discount_redemptions_registration` ON `discount_redemptions` (`registration_id`);