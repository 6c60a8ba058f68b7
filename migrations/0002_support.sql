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
CREATE INDEX `support_requests_guild_status_idx` ON `support_requests` (`guild_id`,`status`);