CREATE TABLE "dialogue" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"intro" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"languages" text[] NOT NULL,
	"moderation" text DEFAULT 'post' NOT NULL,
	"results_visible" boolean DEFAULT false NOT NULL,
	"pairwise" boolean DEFAULT false NOT NULL,
	"analysis_state" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dialogue_invite" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"dialogue_id" uuid NOT NULL,
	"segment_id" uuid,
	"token" text NOT NULL,
	"label" text,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dialogue_invite_token_unique" UNIQUE("token")
);
--> statement-breakpoint
CREATE TABLE "dialogue_pairwise" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"participant_id" uuid NOT NULL,
	"question_id" uuid NOT NULL,
	"winner_id" uuid NOT NULL,
	"loser_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dialogue_participant" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"dialogue_id" uuid NOT NULL,
	"segment_id" uuid,
	"language" text NOT NULL,
	"token_hash" text NOT NULL,
	"resume_hash" text NOT NULL,
	"source_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dialogue_participant_token_hash_unique" UNIQUE("token_hash"),
	CONSTRAINT "dialogue_participant_resume_hash_unique" UNIQUE("resume_hash")
);
--> statement-breakpoint
CREATE TABLE "dialogue_poll_answer" (
	"participant_id" uuid NOT NULL,
	"question_id" uuid NOT NULL,
	"choices" text[] DEFAULT '{}'::text[] NOT NULL,
	"scale" smallint,
	"answered_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dialogue_poll_answer_participant_id_question_id_pk" PRIMARY KEY("participant_id","question_id")
);
--> statement-breakpoint
CREATE TABLE "dialogue_question" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"session_id" uuid NOT NULL,
	"dialogue_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"prompt" jsonb NOT NULL,
	"poll_mode" text,
	"options" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"scale_min" smallint,
	"scale_max" smallint,
	"summary_id" uuid,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dialogue_segment" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"dialogue_id" uuid NOT NULL,
	"key" text NOT NULL,
	"name" jsonb NOT NULL,
	"position" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dialogue_session" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"dialogue_id" uuid NOT NULL,
	"title" text NOT NULL,
	"segment_id" uuid,
	"status" text DEFAULT 'draft' NOT NULL,
	"opens_at" timestamp with time zone,
	"closes_at" timestamp with time zone,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dialogue_statement" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"question_id" uuid NOT NULL,
	"dialogue_id" uuid NOT NULL,
	"participant_id" uuid,
	"segment_id" uuid,
	"seed" boolean DEFAULT false NOT NULL,
	"body" text NOT NULL,
	"language" text NOT NULL,
	"status" text NOT NULL,
	"reject_reason" text,
	"moderated_by" text,
	"moderated_at" timestamp with time zone,
	"source_id" text,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dialogue_summary" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"question_id" uuid NOT NULL,
	"segment_id" uuid,
	"method" text NOT NULL,
	"language" text NOT NULL,
	"model" text,
	"themes" jsonb NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dialogue_translation" (
	"statement_id" uuid NOT NULL,
	"language" text NOT NULL,
	"body" text NOT NULL,
	"source" text NOT NULL,
	"model" text,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dialogue_translation_statement_id_language_pk" PRIMARY KEY("statement_id","language")
);
--> statement-breakpoint
CREATE TABLE "dialogue_vote" (
	"participant_id" uuid NOT NULL,
	"statement_id" uuid NOT NULL,
	"dialogue_id" uuid NOT NULL,
	"value" smallint NOT NULL,
	"voted_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dialogue_vote_participant_id_statement_id_pk" PRIMARY KEY("participant_id","statement_id")
);
--> statement-breakpoint
ALTER TABLE "dialogue" ADD CONSTRAINT "dialogue_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialogue_invite" ADD CONSTRAINT "dialogue_invite_dialogue_id_dialogue_id_fk" FOREIGN KEY ("dialogue_id") REFERENCES "public"."dialogue"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialogue_invite" ADD CONSTRAINT "dialogue_invite_segment_id_dialogue_segment_id_fk" FOREIGN KEY ("segment_id") REFERENCES "public"."dialogue_segment"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialogue_pairwise" ADD CONSTRAINT "dialogue_pairwise_participant_id_dialogue_participant_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."dialogue_participant"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialogue_pairwise" ADD CONSTRAINT "dialogue_pairwise_question_id_dialogue_question_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."dialogue_question"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialogue_pairwise" ADD CONSTRAINT "dialogue_pairwise_winner_id_dialogue_statement_id_fk" FOREIGN KEY ("winner_id") REFERENCES "public"."dialogue_statement"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialogue_pairwise" ADD CONSTRAINT "dialogue_pairwise_loser_id_dialogue_statement_id_fk" FOREIGN KEY ("loser_id") REFERENCES "public"."dialogue_statement"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialogue_participant" ADD CONSTRAINT "dialogue_participant_dialogue_id_dialogue_id_fk" FOREIGN KEY ("dialogue_id") REFERENCES "public"."dialogue"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialogue_participant" ADD CONSTRAINT "dialogue_participant_segment_id_dialogue_segment_id_fk" FOREIGN KEY ("segment_id") REFERENCES "public"."dialogue_segment"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialogue_poll_answer" ADD CONSTRAINT "dialogue_poll_answer_participant_id_dialogue_participant_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."dialogue_participant"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialogue_poll_answer" ADD CONSTRAINT "dialogue_poll_answer_question_id_dialogue_question_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."dialogue_question"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialogue_question" ADD CONSTRAINT "dialogue_question_session_id_dialogue_session_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."dialogue_session"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialogue_question" ADD CONSTRAINT "dialogue_question_dialogue_id_dialogue_id_fk" FOREIGN KEY ("dialogue_id") REFERENCES "public"."dialogue"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialogue_segment" ADD CONSTRAINT "dialogue_segment_dialogue_id_dialogue_id_fk" FOREIGN KEY ("dialogue_id") REFERENCES "public"."dialogue"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialogue_session" ADD CONSTRAINT "dialogue_session_dialogue_id_dialogue_id_fk" FOREIGN KEY ("dialogue_id") REFERENCES "public"."dialogue"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialogue_session" ADD CONSTRAINT "dialogue_session_segment_id_dialogue_segment_id_fk" FOREIGN KEY ("segment_id") REFERENCES "public"."dialogue_segment"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialogue_statement" ADD CONSTRAINT "dialogue_statement_question_id_dialogue_question_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."dialogue_question"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialogue_statement" ADD CONSTRAINT "dialogue_statement_dialogue_id_dialogue_id_fk" FOREIGN KEY ("dialogue_id") REFERENCES "public"."dialogue"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialogue_statement" ADD CONSTRAINT "dialogue_statement_participant_id_dialogue_participant_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."dialogue_participant"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialogue_statement" ADD CONSTRAINT "dialogue_statement_segment_id_dialogue_segment_id_fk" FOREIGN KEY ("segment_id") REFERENCES "public"."dialogue_segment"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialogue_statement" ADD CONSTRAINT "dialogue_statement_moderated_by_user_id_fk" FOREIGN KEY ("moderated_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialogue_statement" ADD CONSTRAINT "dialogue_statement_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialogue_summary" ADD CONSTRAINT "dialogue_summary_question_id_dialogue_question_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."dialogue_question"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialogue_summary" ADD CONSTRAINT "dialogue_summary_segment_id_dialogue_segment_id_fk" FOREIGN KEY ("segment_id") REFERENCES "public"."dialogue_segment"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialogue_summary" ADD CONSTRAINT "dialogue_summary_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialogue_translation" ADD CONSTRAINT "dialogue_translation_statement_id_dialogue_statement_id_fk" FOREIGN KEY ("statement_id") REFERENCES "public"."dialogue_statement"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialogue_translation" ADD CONSTRAINT "dialogue_translation_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialogue_vote" ADD CONSTRAINT "dialogue_vote_participant_id_dialogue_participant_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."dialogue_participant"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialogue_vote" ADD CONSTRAINT "dialogue_vote_statement_id_dialogue_statement_id_fk" FOREIGN KEY ("statement_id") REFERENCES "public"."dialogue_statement"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dialogue_invite_dialogue_idx" ON "dialogue_invite" USING btree ("dialogue_id");--> statement-breakpoint
CREATE INDEX "dialogue_pairwise_question_idx" ON "dialogue_pairwise" USING btree ("question_id");--> statement-breakpoint
CREATE INDEX "dialogue_participant_dialogue_idx" ON "dialogue_participant" USING btree ("dialogue_id");--> statement-breakpoint
CREATE INDEX "dialogue_question_session_idx" ON "dialogue_question" USING btree ("session_id");--> statement-breakpoint
CREATE UNIQUE INDEX "dialogue_segment_key_idx" ON "dialogue_segment" USING btree ("dialogue_id","key");--> statement-breakpoint
CREATE INDEX "dialogue_session_dialogue_idx" ON "dialogue_session" USING btree ("dialogue_id");--> statement-breakpoint
CREATE INDEX "dialogue_statement_question_idx" ON "dialogue_statement" USING btree ("question_id","status");--> statement-breakpoint
CREATE INDEX "dialogue_statement_dialogue_idx" ON "dialogue_statement" USING btree ("dialogue_id");--> statement-breakpoint
CREATE INDEX "dialogue_summary_question_idx" ON "dialogue_summary" USING btree ("question_id");--> statement-breakpoint
CREATE INDEX "dialogue_vote_dialogue_idx" ON "dialogue_vote" USING btree ("dialogue_id");--> statement-breakpoint
CREATE INDEX "dialogue_vote_statement_idx" ON "dialogue_vote" USING btree ("statement_id");