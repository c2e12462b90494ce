ALTER TABLE `registrations` ADD `amount_due` integer;--> statement-breakpoint
ALTER TABLE `registrations` ADD `currency` text;--> statement-breakpoint
ALTER TABLE `registrations` ADD `paid_at` text;--> statement-breakpoint
ALTER TABLE `registrations` ADD `refund_due_at` text;--> statement-breakpoint
ALTER TABLE `session` ADD `price_amount` integer;--> statement-breakpoint
ALTER TABLE `session` ADD `price_currency` text;--> statement-breakpoint
ALTER TABLE `session` ADD `refund_until_days` integer;