CREATE TABLE `bot_state` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `guild_settings` (
	`guild_id` text PRIMARY KEY NOT NULL,
	`support_channel_id` text,
	`triage_channel_id` text,
	`updates_channel_id` text,
	`advocacy_channel_id` text,
	`tasks_channel_id` text,
	`modlog_channel_id` text,
	`moderator_role_id` text,
	`support_role_id` text,
	`spanish_support_role_id` text,
	`volunteer_role_id` text,
	`volunteer_form_url` text,
	`retention_days` integer DEFAULT 90 NOT NULL,
	`reminder_hours` integer DEFAULT 24 NOT NULL,
	`default_language` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `member_preferences` (
	`guild_id` text NOT NULL,
	`user_id` text NOT NULL,
	`language` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`guild_id`, `user_id`)
);
