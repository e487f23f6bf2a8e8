CREATE TABLE "cohost_view_link" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "cohost_view_link_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
ALTER TABLE "cohost_view_link" ADD CONSTRAINT "cohost_view_link_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cohost_view_link" ADD CONSTRAINT "cohost_view_link_cohost_fk" FOREIGN KEY ("event_id","organisation_id") REFERENCES "public"."event_cohost"("event_id","organisation_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cohost_view_link_cohost_idx" ON "cohost_view_link" USING btree ("event_id","organisation_id");