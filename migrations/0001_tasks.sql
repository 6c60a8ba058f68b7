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
CREATE INDEX `tasks_claimant_idx` ON `tasks` (`guild_id`,`claimant_id`);