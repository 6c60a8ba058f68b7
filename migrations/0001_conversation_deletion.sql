CREATE TABLE `support_thread_deletions` (
	`thread_id` text PRIMARY KEY NOT NULL,
	`guild_id` text NOT NULL
);
--> statement-breakpoint
ALTER TABLE `guild_settings` ADD `retention_conversations` text DEFAULT 'delete' NOT NULL;--> statement-breakpoint
ALTER TABLE `guild_settings` ADD `secure_contact` text;