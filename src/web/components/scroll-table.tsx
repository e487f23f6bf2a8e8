import { Box } from '@mantine/core';
import type { ReactNode } from 'react';
import classes from './layout.module.css';

/** A wide table that scrolls sideways on small screens; focusable, so the keyboard can scroll it too. */
export function ScrollTable(props: { label: string; minWidth: number; children: ReactNode }) {
  return (
    <Box className={classes.tableScroll} tabIndex={0} role="region" aria-label={props.label}>
      <Box miw={props.minWidth}>{props.children}</Box>
    </Box>
  );
}
