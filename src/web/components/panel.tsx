import { Group, Paper, Title, type MantineSpacing } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * A titled part of a page: a bordered <section> labelled by its h2 (whose id is `id`). `action` sits at the end of the
 * title's line (e.g. "New office"); `gap` is the space under the title ("md" by default).
 */
export function Panel(props: { id: string; title: ReactNode; action?: ReactNode; gap?: MantineSpacing; size?: 'h3' | 'h4'; children: ReactNode }) {
  const gap = props.gap ?? 'md';
  const title = (
    <Title order={2} fz={props.size ?? 'h3'} mb={props.action ? undefined : gap} id={props.id}>
      {props.title}
    </Title>
  );
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby={props.id}>
      {props.action ? (
        <Group justify="space-between" mb={gap}>
          {title}
          {props.action}
        </Group>
      ) : (
        title
      )}
      {props.children}
    </Paper>
  );
}
