CREATE INDEX "dialogue_pairwise_participant_idx" ON "dialogue_pairwise" USING btree ("participant_id");--> statement-breakpoint
CREATE INDEX "study_response_arm_idx" ON "study_response" USING btree ("arm_id");--> statement-breakpoint
CREATE INDEX "study_response_population_idx" ON "study_response" USING btree ("population_id");