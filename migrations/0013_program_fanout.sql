CREATE TABLE `invitation_job_chunks` (
	`job_id` text NOT NULL,
	`seq` integer NOT NULL,
	`session_id` text NOT NULL,
	`contact_ids` text NOT NULL,
	`status` text NOT NULL,
	`done` integer NOT NULL,
	`failed` integer NOT NULL,
	`done_at` text,
	PRIMARY KEY(`job_id`, `seq`),
	FOREIGN KEY (`job_id`) REFERENCES `invitation_jobs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `invitation_job_failures` (
	`job_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`session_id` text NOT NULL,
	`reason` text NOT NULL,
	PRIMARY KEY(`job_id`, `contact_id`, `session_id`),
	FOREIGN KEY (`job_id`) REFERENCES `invitation_jobs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `invitation_job_pairs` (
	`session_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`job_id` text NOT NULL,
	`org_id` text NOT NULL,
	PRIMARY KEY(`session_id`, `contact_id`)
);
--> statement-breakpoint
CREATE INDEX `invitation_job_pairs_job` ON `invitation_job_pairs` (`job_id`);--> statement-breakpoint
CREATE TABLE `invitation_jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`program_id` text NOT NULL,
	`trigger` text NOT NULL,
	`hold_seat` integer NOT NULL,
	`people` integer NOT NULL,
	`sessions` integer NOT NULL,
	`total` integer NOT NULL,
	`done` integer NOT NULL,
	`failed` integer NOT NULL,
	`status` text NOT NULL,
	`created_at` text NOT NULL,
	`finished_at` text,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `invitation_jobs_program` ON `invitation_jobs` (`program_id`,`created_at`);