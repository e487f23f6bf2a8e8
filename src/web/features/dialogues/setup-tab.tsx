import { Stack } from '@mantine/core';
import type { Dialogue } from './dialogues.api.ts';
import { InvitesSection } from './setup-invites.tsx';
import { SegmentsSection } from './setup-segments.tsx';
import { SessionsSection } from './setup-sessions.tsx';
import { SettingsSection } from './setup-settings.tsx';

/** A dialogue's set-up: its settings, segments, sessions (with their questions) and invite links, each a section of its own. */
export function SetupTab({ dialogue }: { dialogue: Dialogue }) {
  return (
    <Stack gap="lg">
      <SettingsSection dialogue={dialogue} />
      <SegmentsSection dialogue={dialogue} />
      <SessionsSection dialogue={dialogue} />
      <InvitesSection dialogue={dialogue} />
    </Stack>
  );
}
