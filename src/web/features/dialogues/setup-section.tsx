import { Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** One part of a dialogue's set-up: a titled panel with an optional hint and an action beside the title. */
export function Section(props: { title: string; hint?: string; action?: ReactNode; children: ReactNode; id?: string }) {
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={props.id}>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" wrap="wrap">
          <div>
            <Title order={2} fz="h4" id={props.id}>
              {props.title}
            </Title>
            {props.hint && (
              <Text size="sm" c="dimmed" maw={760}>
                {props.hint}
              </Text>
            )}
          </div>
          {props.action}
        </Group>
        {props.children}
      </Stack>
    </Paper>
  );
}
