CREATE TABLE "erasure" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"record_type" text NOT NULL,
	"record_id" uuid NOT NULL,
	"reference" text NOT NULL,
	"tombstone" text NOT NULL,
	"status" text NOT NULL,
	"reason" text,
	"redact" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"mentions" jsonb,
	"requested_by" text,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone,
	"erased_by" text,
	"erased_at" timestamp with time zone,
	"cancelled_by" text,
	"cancelled_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "erasure" ADD CONSTRAINT "erasure_requested_by_user_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "erasure" ADD CONSTRAINT "erasure_erased_by_user_id_fk" FOREIGN KEY ("erased_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "erasure" ADD CONSTRAINT "erasure_cancelled_by_user_id_fk" FOREIGN KEY ("cancelled_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "erasure_reference_unique" ON "erasure" USING btree ("reference");--> statement-breakpoint
CREATE UNIQUE INDEX "erasure_record_open_unique" ON "erasure" USING btree ("record_type","record_id") WHERE "erasure"."status" IN ('pending', 'erasing', 'done');--> statement-breakpoint
CREATE INDEX "erasure_status_idx" ON "erasure" USING btree ("status","requested_at");--> statement-breakpoint
-- The audit log stays append-only (0001), with one controlled exception: during an erasure on request
-- (docs/erasure.md), the transaction that erases a person or an organisation rewrites the `detail` of the entries
-- written before that named them, to the tombstone. Allowed only when all of these hold:
--   * it is an UPDATE (an entry is never deleted) that changes `detail` and nothing else;
--   * the transaction said which erasure it carries out (set_config('convene.erasure', <erasure id>, true),
--     transaction-local, so it ends with the transaction);
--   * that erasure's row is in the state `erasing`, which exists only inside the erasing transaction (it commits as
--     `done`): a statement elsewhere would have to insert or move an erasure row into that state first;
--   * the new detail carries that erasure's tombstone ("Erased person · 7F3K").
CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  erasing text := nullif(current_setting('convene.erasure', true), '');
BEGIN
  IF TG_OP = 'UPDATE' AND erasing IS NOT NULL
    AND (NEW.id, NEW.at, NEW.actor_id, NEW.actor_email, NEW.action, NEW.entity_type, NEW.entity_id, NEW.ip, NEW.user_agent)
      IS NOT DISTINCT FROM (OLD.id, OLD.at, OLD.actor_id, OLD.actor_email, OLD.action, OLD.entity_type, OLD.entity_id, OLD.ip, OLD.user_agent)
    AND NEW.detail IS NOT NULL
    AND EXISTS (SELECT 1 FROM erasure e WHERE e.id::text = erasing AND e.status = 'erasing' AND strpos(NEW.detail::text, e.tombstone) > 0)
  THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit entries cannot be changed or deleted' USING ERRCODE = 'insufficient_privilege';
END;
$$;
