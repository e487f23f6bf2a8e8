CREATE TABLE "user_visit" (
	"user_id" text PRIMARY KEY NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"last_active_at" timestamp with time zone NOT NULL,
	"previous_ended_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "user_visit" ADD CONSTRAINT "user_visit_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "meeting_created_at_idx" ON "meeting" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "shared_item_created_at_idx" ON "shared_item" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "person_created_at_idx" ON "person" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "study_response_completed_at_idx" ON "study_response" USING btree ("completed_at");