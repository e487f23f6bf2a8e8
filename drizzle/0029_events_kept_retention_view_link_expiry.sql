ALTER TABLE "cohost_view_link" ADD COLUMN "expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "event" ADD COLUMN "kept_retention_days" integer DEFAULT 730 NOT NULL;--> statement-breakpoint
ALTER TABLE "event" ADD COLUMN "kept_data_erased_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "event" ADD CONSTRAINT "event_kept_retention_check" CHECK ("event"."kept_retention_days" BETWEEN 0 AND 3650);