ALTER TABLE `session` ADD `price_amount` integer;--> statement-breakpoint
ALTER TABLE `session` ADD `price_currency` text;--> statement-breakpoint
ALTER TABLE `session` ADD `refund_until_days` integer;