ALTER TABLE `registrations` ADD `refunded_at` text;--> statement-breakpoint
ALTER TABLE `registrations` ADD `refunded_amount` integer;