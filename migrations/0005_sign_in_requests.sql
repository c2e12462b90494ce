CREATE TABLE `sign_in_requests` (
	`address_hash` text NOT NULL,
	`day` text NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`address_hash`, `day`)
);
--> statement-breakpoint
CREATE INDEX `sign_in_requests_day` ON `sign_in_requests` (`day`);