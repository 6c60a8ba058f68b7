CREATE TABLE `support_rate_marks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`guild_id` text NOT NULL,
	`user_id` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `support_rate_marks_member_idx` ON `support_rate_marks` (`guild_id`,`user_id`);--> statement-breakpoint
CREATE TABLE `support_thread_deletions` (
	`thread_id` text PRIMARY KEY NOT NULL,
	`guild_id` text NOT NULL
);
--> statement-breakpoint
ALTER TABLE `guild_settings` ADD `retention_conversations` text DEFAULT 'delete' NOT NULL;--> statement-breakpoint
ALTER TABLE `guild_settings` ADD `secure_contact` text;