CREATE TABLE `refund_outbox` (
	`registration_id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
ALTER TABLE `registrations` ADD `checkout_id` text;--> statement-breakpoint
ALTER TABLE `registrations` ADD `payment_id` text;