import { Box, Container, Group, Paper, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { LanguageSwitch } from './language.tsx';
import classes from './layout.module.css';

/** Pages before sign-in: the name, the language switch, one card. */
export function PublicLayout(props: { title: string; children: ReactNode; wide?: boolean }) {
  return (
    <Box className={classes.publicPage}>
      <Box component="header" className={classes.publicHeader}>
        <Group justify="space-between" px="md" h="100%">
          <Text component="span" fw={700} fz="xl" className={classes.logo}>
            Convene
          </Text>
          <LanguageSwitch />
        </Group>
      </Box>
      <Container component="main" size={props.wide ? 'sm' : 'xs'} py="xl">
        <Paper withBorder shadow="sm" p="xl" radius="md">
          <Title order={1} fz="h2" mb="md">
            {props.title}
          </Title>
          {props.children}
        </Paper>
      </Container>
    </Box>
  );
}
