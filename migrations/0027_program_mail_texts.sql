ALTER TABLE `invitation_jobs` ADD `subject` text;--> statement-breakpoint
ALTER TABLE `invitation_jobs` ADD `button_text` text;--> statement-breakpoint
ALTER TABLE `invitation_jobs` ADD `message` text;--> statement-breakpoint
ALTER TABLE `program_mails` ADD `subject` text;--> statement-breakpoint
ALTER TABLE `program_mails` ADD `button_text` text;--> statement-breakpoint
ALTER TABLE `program_mails` ADD `message` text;