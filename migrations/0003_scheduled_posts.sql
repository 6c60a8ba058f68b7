CREATE TABLE `advocacy_actions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`guild_id` text NOT NULL,
	`number` integer NOT NULL,
	`seed_key` text,
	`title` text NOT NULL,
	`text` text NOT NULL,
	`title_es` text,
	`text_es` text,
	`link` text NOT NULL,
	`deadline` text,
	`status` text DEFAULT 'active' NOT NULL,
	`created_by` text,
	`created_at` integer NOT NULL,
	`retired_at` integer,
	`last_posted_at` integer,
	`post_count` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `advocacy_actions_guild_number_unique` ON `advocacy_actions` (`guild_id`,`number`);--> statement-breakpoint
CREATE UNIQUE INDEX `advocacy_actions_guild_seed_unique` ON `advocacy_actions` (`guild_id`,`seed_key`) WHERE seed_key IS NOT NULL;--> statement-breakpoint
CREATE TABLE `advocacy_seeded` (
	`guild_id` text PRIMARY KEY NOT NULL,
	`seeded_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `feed_items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`guild_id` text NOT NULL,
	`feed_id` integer NOT NULL,
	`item_key` text NOT NULL,
	`title` text NOT NULL,
	`link` text,
	`summary` text,
	`published_at` integer,
	`status` text NOT NULL,
	`reviewed_by` text,
	`first_seen_at` integer NOT NULL,
	`reviewed_at` integer,
	`posted_at` integer,
	`run_id` integer,
	FOREIGN KEY (`feed_id`) REFERENCES `feeds`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `feed_items_feed_key_unique` ON `feed_items` (`feed_id`,`item_key`);--> statement-breakpoint
CREATE INDEX `feed_items_guild_status_idx` ON `feed_items` (`guild_id`,`status`);--> statement-breakpoint
CREATE INDEX `feed_items_guild_link_idx` ON `feed_items` (`guild_id`,`link`);--> statement-breakpoint
CREATE TABLE `feeds` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`guild_id` text NOT NULL,
	`number` integer NOT NULL,
	`url` text NOT NULL,
	`title` text,
	`channel_id` text,
	`include` text,
	`exclude` text,
	`review` integer DEFAULT false NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`removed_at` integer,
	`etag` text,
	`last_modified` text,
	`last_fetched_at` integer,
	`last_success_at` integer,
	`consecutive_failures` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`disabled_reason` text,
	`created_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `feeds_guild_number_unique` ON `feeds` (`guild_id`,`number`);--> statement-breakpoint
CREATE UNIQUE INDEX `feeds_guild_url_unique` ON `feeds` (`guild_id`,`url`);--> statement-breakpoint
CREATE TABLE `outbox_posts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`guild_id` text NOT NULL,
	`run_id` integer,
	`schedule_id` integer,
	`kind` text NOT NULL,
	`ref_id` integer,
	`channel_id` text NOT NULL,
	`payload` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`claimed_at` integer,
	`nonce` text NOT NULL,
	`message_id` text,
	`last_error` text,
	`created_at` integer NOT NULL,
	`sent_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_posts_nonce_unique` ON `outbox_posts` (`nonce`);--> statement-breakpoint
CREATE INDEX `outbox_posts_due_idx` ON `outbox_posts` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `outbox_posts_run_idx` ON `outbox_posts` (`run_id`);--> statement-breakpoint
CREATE TABLE `post_sequences` (
	`guild_id` text NOT NULL,
	`kind` text NOT NULL,
	`last` integer NOT NULL,
	PRIMARY KEY(`guild_id`, `kind`)
);
--> statement-breakpoint
CREATE TABLE `post_settings` (
	`guild_id` text PRIMARY KEY NOT NULL,
	`review_updates` integer DEFAULT false NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `scheduled_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`guild_id` text NOT NULL,
	`schedule_id` integer NOT NULL,
	`fire_time` integer NOT NULL,
	`kind` text NOT NULL,
	`posts` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `scheduled_runs_schedule_fire_unique` ON `scheduled_runs` (`schedule_id`,`fire_time`);--> statement-breakpoint
CREATE TABLE `schedules` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`guild_id` text NOT NULL,
	`number` integer NOT NULL,
	`job` text NOT NULL,
	`cron` text NOT NULL,
	`timezone` text NOT NULL,
	`channel_id` text NOT NULL,
	`digest` integer DEFAULT false NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`created_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`last_run_at` integer,
	`last_fire_time` integer,
	`next_run_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `schedules_guild_number_unique` ON `schedules` (`guild_id`,`number`);--> statement-breakpoint
CREATE INDEX `schedules_enabled_next_idx` ON `schedules` (`enabled`,`next_run_at`);--> statement-breakpoint
CREATE TABLE `sourced_updates` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`guild_id` text NOT NULL,
	`number` integer NOT NULL,
	`title` text NOT NULL,
	`summary` text NOT NULL,
	`sources` text NOT NULL,
	`status` text NOT NULL,
	`created_by` text,
	`reviewed_by` text,
	`created_at` integer NOT NULL,
	`reviewed_at` integer,
	`posted_at` integer,
	`run_id` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sourced_updates_guild_number_unique` ON `sourced_updates` (`guild_id`,`number`);--> statement-breakpoint
CREATE INDEX `sourced_updates_guild_status_idx` ON `sourced_updates` (`guild_id`,`status`);