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
--> statement-breakpoint
CREATE TABLE `task_leaderboard_opt_outs` (
	`guild_id` text NOT NULL,
	`user_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`guild_id`, `user_id`)
);
--> statement-breakpoint
CREATE TABLE `task_settings` (
	`guild_id` text PRIMARY KEY NOT NULL,
	`max_claims` integer NOT NULL,
	`idle_days` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `tasks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`guild_id` text NOT NULL,
	`number` integer NOT NULL,
	`title` text NOT NULL,
	`description` text NOT NULL,
	`skill` text NOT NULL,
	`status` text NOT NULL,
	`link` text,
	`origin` text NOT NULL,
	`creator_id` text,
	`claimant_id` text,
	`claimed_at` integer,
	`activity_at` integer,
	`due_at` integer,
	`reminded_at` integer,
	`idle_warned_at` integer,
	`done_at` integer,
	`done_note` text,
	`announcement_channel_id` text,
	`announcement_message_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tasks_guild_number_unique` ON `tasks` (`guild_id`,`number`);--> statement-breakpoint
CREATE UNIQUE INDEX `tasks_live_origin_unique` ON `tasks` (`guild_id`,`origin`) WHERE origin <> 'manual' AND status IN ('open', 'claimed');--> statement-breakpoint
CREATE INDEX `tasks_guild_status_idx` ON `tasks` (`guild_id`,`status`);--> statement-breakpoint
CREATE INDEX `tasks_claimant_idx` ON `tasks` (`guild_id`,`claimant_id`);--> statement-breakpoint
CREATE TABLE `support_audit` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`guild_id` text NOT NULL,
	`request_id` integer,
	`number` integer,
	`actor_id` text,
	`action` text NOT NULL,
	`from_status` text,
	`to_status` text,
	`target_id` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`request_id`) REFERENCES `support_requests`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `support_audit_request_idx` ON `support_audit` (`request_id`);--> statement-breakpoint
CREATE INDEX `support_audit_guild_idx` ON `support_audit` (`guild_id`);--> statement-breakpoint
CREATE TABLE `support_blocks` (
	`guild_id` text NOT NULL,
	`user_id` text NOT NULL,
	`blocked_by` text,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	PRIMARY KEY(`guild_id`, `user_id`)
);
--> statement-breakpoint
CREATE TABLE `support_counters` (
	`guild_id` text PRIMARY KEY NOT NULL,
	`last_number` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `support_hours` (
	`guild_id` text PRIMARY KEY NOT NULL,
	`timezone` text NOT NULL,
	`schedule` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `support_requests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`guild_id` text NOT NULL,
	`number` integer NOT NULL,
	`requester_id` text NOT NULL,
	`thread_id` text,
	`intake_message_id` text,
	`triage_message_id` text,
	`topic` text NOT NULL,
	`language` text NOT NULL,
	`urgent` integer DEFAULT false NOT NULL,
	`status` text NOT NULL,
	`assignee_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`first_staff_reply_at` integer,
	`awaiting_staff_since` integer,
	`last_reminded_at` integer,
	`closed_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `support_requests_guild_number_unique` ON `support_requests` (`guild_id`,`number`);--> statement-breakpoint
CREATE UNIQUE INDEX `support_requests_thread_unique` ON `support_requests` (`thread_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `support_requests_one_open_per_member` ON `support_requests` (`guild_id`,`requester_id`) WHERE status <> 'closed';--> statement-breakpoint
CREATE INDEX `support_requests_guild_status_idx` ON `support_requests` (`guild_id`,`status`);--> statement-breakpoint
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