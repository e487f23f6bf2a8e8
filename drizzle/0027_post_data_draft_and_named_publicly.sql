ALTER TABLE "person" ADD COLUMN "named_publicly" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "post" ADD COLUMN "data_draft" jsonb;