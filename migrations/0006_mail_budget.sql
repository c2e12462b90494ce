CREATE TABLE `mail_budget` (
	`org_id` text NOT NULL,
	`window_start` text NOT NULL,
	`sent` integer DEFAULT 0 NOT NULL,
	`granted` integer DEFAULT 0 NOT NULL,
	`alerted_at` text,
	PRIMARY KEY(`org_id`, `window_start`)
);
--> statement-breakpoint
CREATE INDEX `mail_budget_window` ON `mail_budget` (`window_start`);