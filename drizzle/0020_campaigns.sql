CREATE TABLE "campaign" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" jsonb NOT NULL,
	"goal" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"owner_id" text,
	"starts_on" date,
	"ends_on" date,
	"restricted" boolean DEFAULT true NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaign_period" CHECK ("campaign"."ends_on" IS NULL OR "campaign"."starts_on" IS NULL OR "campaign"."ends_on" >= "campaign"."starts_on")
);
--> statement-breakpoint
CREATE TABLE "campaign_ask" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"campaign_id" uuid NOT NULL,
	"text" jsonb NOT NULL,
	"position" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "campaign_document" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"campaign_id" uuid NOT NULL,
	"title" text NOT NULL,
	"kind" text NOT NULL,
	"url" text,
	"file_name" text,
	"media_type" text,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaign_document_kind" CHECK ("campaign_document"."kind" IN ('link', 'file'))
);
--> statement-breakpoint
CREATE TABLE "campaign_document_passage" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"document_id" uuid NOT NULL,
	"quote" text NOT NULL,
	"locator" text,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "campaign_meeting" (
	"campaign_id" uuid NOT NULL,
	"meeting_id" uuid NOT NULL,
	"tagged_by" text,
	"tagged_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaign_meeting_campaign_id_meeting_id_pk" PRIMARY KEY("campaign_id","meeting_id")
);
--> statement-breakpoint
CREATE TABLE "campaign_meeting_ask" (
	"campaign_id" uuid NOT NULL,
	"meeting_id" uuid NOT NULL,
	"ask_id" uuid NOT NULL,
	CONSTRAINT "campaign_meeting_ask_campaign_id_meeting_id_ask_id_pk" PRIMARY KEY("campaign_id","meeting_id","ask_id")
);
--> statement-breakpoint
CREATE TABLE "campaign_meeting_target" (
	"campaign_id" uuid NOT NULL,
	"meeting_id" uuid NOT NULL,
	"target_id" uuid NOT NULL,
	CONSTRAINT "campaign_meeting_target_campaign_id_meeting_id_target_id_pk" PRIMARY KEY("campaign_id","meeting_id","target_id")
);
--> statement-breakpoint
CREATE TABLE "campaign_stance" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"campaign_id" uuid NOT NULL,
	"target_id" uuid NOT NULL,
	"ask_id" uuid NOT NULL,
	"value" text NOT NULL,
	"as_of" date NOT NULL,
	"recorded_by" text,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"evidence_kind" text NOT NULL,
	"meeting_id" uuid,
	"statement_url" text,
	"statement_quote" text,
	"passage_id" uuid,
	"reason" text,
	"note" text,
	CONSTRAINT "campaign_stance_value" CHECK ("campaign_stance"."value" IN ('unknown', 'opposed', 'sceptical', 'neutral', 'supportive', 'champion')),
	CONSTRAINT "campaign_stance_evidence" CHECK (("campaign_stance"."evidence_kind" = 'meeting' AND "campaign_stance"."meeting_id" IS NOT NULL)
        OR ("campaign_stance"."evidence_kind" = 'statement' AND "campaign_stance"."statement_url" IS NOT NULL AND "campaign_stance"."statement_quote" IS NOT NULL)
        OR ("campaign_stance"."evidence_kind" = 'document_passage' AND "campaign_stance"."passage_id" IS NOT NULL)
        OR ("campaign_stance"."evidence_kind" = 'judgement' AND "campaign_stance"."reason" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "campaign_target" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"campaign_id" uuid NOT NULL,
	"organisation_id" uuid,
	"person_id" uuid,
	"group_label" text,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaign_target_one" CHECK (("campaign_target"."organisation_id" IS NULL) <> ("campaign_target"."person_id" IS NULL))
);
--> statement-breakpoint
ALTER TABLE "campaign" ADD CONSTRAINT "campaign_owner_id_user_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign" ADD CONSTRAINT "campaign_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_ask" ADD CONSTRAINT "campaign_ask_campaign_id_campaign_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaign"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_document" ADD CONSTRAINT "campaign_document_campaign_id_campaign_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaign"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_document" ADD CONSTRAINT "campaign_document_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_document_passage" ADD CONSTRAINT "campaign_document_passage_document_id_campaign_document_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."campaign_document"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_meeting" ADD CONSTRAINT "campaign_meeting_campaign_id_campaign_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaign"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_meeting" ADD CONSTRAINT "campaign_meeting_meeting_id_meeting_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meeting"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_meeting" ADD CONSTRAINT "campaign_meeting_tagged_by_user_id_fk" FOREIGN KEY ("tagged_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_meeting_ask" ADD CONSTRAINT "campaign_meeting_ask_ask_id_campaign_ask_id_fk" FOREIGN KEY ("ask_id") REFERENCES "public"."campaign_ask"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_meeting_ask" ADD CONSTRAINT "campaign_meeting_ask_campaign_id_meeting_id_campaign_meeting_campaign_id_meeting_id_fk" FOREIGN KEY ("campaign_id","meeting_id") REFERENCES "public"."campaign_meeting"("campaign_id","meeting_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_meeting_target" ADD CONSTRAINT "campaign_meeting_target_target_id_campaign_target_id_fk" FOREIGN KEY ("target_id") REFERENCES "public"."campaign_target"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_meeting_target" ADD CONSTRAINT "campaign_meeting_target_campaign_id_meeting_id_campaign_meeting_campaign_id_meeting_id_fk" FOREIGN KEY ("campaign_id","meeting_id") REFERENCES "public"."campaign_meeting"("campaign_id","meeting_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_stance" ADD CONSTRAINT "campaign_stance_campaign_id_campaign_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaign"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_stance" ADD CONSTRAINT "campaign_stance_target_id_campaign_target_id_fk" FOREIGN KEY ("target_id") REFERENCES "public"."campaign_target"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_stance" ADD CONSTRAINT "campaign_stance_ask_id_campaign_ask_id_fk" FOREIGN KEY ("ask_id") REFERENCES "public"."campaign_ask"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_stance" ADD CONSTRAINT "campaign_stance_recorded_by_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_stance" ADD CONSTRAINT "campaign_stance_meeting_id_meeting_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meeting"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_stance" ADD CONSTRAINT "campaign_stance_passage_id_campaign_document_passage_id_fk" FOREIGN KEY ("passage_id") REFERENCES "public"."campaign_document_passage"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_target" ADD CONSTRAINT "campaign_target_campaign_id_campaign_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaign"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_target" ADD CONSTRAINT "campaign_target_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_target" ADD CONSTRAINT "campaign_target_person_id_person_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."person"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_target" ADD CONSTRAINT "campaign_target_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "campaign_owner_idx" ON "campaign" USING btree ("owner_id");--> statement-breakpoint
CREATE INDEX "campaign_ask_campaign_idx" ON "campaign_ask" USING btree ("campaign_id","position");--> statement-breakpoint
CREATE INDEX "campaign_document_campaign_idx" ON "campaign_document" USING btree ("campaign_id");--> statement-breakpoint
CREATE INDEX "campaign_document_passage_document_idx" ON "campaign_document_passage" USING btree ("document_id","position");--> statement-breakpoint
CREATE INDEX "campaign_meeting_meeting_idx" ON "campaign_meeting" USING btree ("meeting_id");--> statement-breakpoint
CREATE INDEX "campaign_meeting_ask_ask_idx" ON "campaign_meeting_ask" USING btree ("ask_id");--> statement-breakpoint
CREATE INDEX "campaign_meeting_target_target_idx" ON "campaign_meeting_target" USING btree ("target_id");--> statement-breakpoint
CREATE INDEX "campaign_stance_cell_idx" ON "campaign_stance" USING btree ("target_id","ask_id","as_of" DESC NULLS LAST,"recorded_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "campaign_stance_campaign_idx" ON "campaign_stance" USING btree ("campaign_id","as_of");--> statement-breakpoint
CREATE INDEX "campaign_stance_meeting_idx" ON "campaign_stance" USING btree ("meeting_id");--> statement-breakpoint
CREATE INDEX "campaign_stance_passage_idx" ON "campaign_stance" USING btree ("passage_id");--> statement-breakpoint
CREATE UNIQUE INDEX "campaign_target_org_unique" ON "campaign_target" USING btree ("campaign_id","organisation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "campaign_target_person_unique" ON "campaign_target" USING btree ("campaign_id","person_id");--> statement-breakpoint
CREATE INDEX "campaign_target_org_idx" ON "campaign_target" USING btree ("organisation_id");--> statement-breakpoint
CREATE INDEX "campaign_target_person_idx" ON "campaign_target" USING btree ("person_id");