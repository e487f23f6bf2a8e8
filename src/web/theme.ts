import { createTheme, type CSSVariablesResolver } from '@mantine/core';

// System fonts only: nothing is fetched from a font service.
export const theme = createTheme({
  primaryColor: 'indigo',
  // shade 7+ keeps white text on filled buttons above 4.5:1 (WCAG AA)
  primaryShade: { light: 8, dark: 6 },
  defaultRadius: 'md',
  cursorType: 'pointer',
  headings: { fontWeight: '650' },
  components: {
    // a badge shows its whole word: in a narrow table cell Mantine's ellipsis cut "Active" to "ACT…" (and to "…" in Arabic)
    Badge: { styles: { root: { overflow: 'visible', flexShrink: 0 }, label: { overflow: 'visible' } } },
    // a chosen item in a multi-select (an organisation, a topic) wraps onto a second line instead of ending in '…';
    // sized by its words first (Mantine's `flex: 0` made it as narrow as one letter on a phone, a word per column)
    Pill: {
      styles: {
        root: { height: 'auto', minHeight: 'var(--pill-height)', maxWidth: '100%', flex: '0 1 auto' },
        label: { whiteSpace: 'normal', overflow: 'visible', textOverflow: 'clip', overflowWrap: 'anywhere', lineHeight: 1.3, paddingBlock: 2 },
      },
    },
  },
});

// Mantine's darkest orange and yellow are still under 4.5:1 on their pale backgrounds: darker browns for text.
const lightText: Record<string, string> = { orange: '#8a3300', yellow: '#6b4e00' };

function lightVariants(colors: string[]): Record<string, string> {
  return Object.fromEntries(
    colors.flatMap((c) => [
      [`--mantine-color-${c}-light`, `var(--mantine-color-${c}-0)`],
      [`--mantine-color-${c}-light-hover`, `var(--mantine-color-${c}-1)`],
      [`--mantine-color-${c}-light-color`, lightText[c] ?? `var(--mantine-color-${c}-9)`],
    ]),
  );
}

// The default "dimmed" grey is below 4.5:1 on white; one step darker passes WCAG AA.
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-placeholder': 'var(--mantine-color-gray-6)',
    // light variants (active nav link, badges, alerts): dark text on pale backgrounds, also when hovered (WCAG AA)
    ...lightVariants(['indigo', 'teal', 'red', 'orange', 'gray', 'green', 'blue', 'yellow']),
    '--mantine-primary-color-light': 'var(--mantine-color-indigo-0)',
    '--mantine-primary-color-light-hover': 'var(--mantine-color-indigo-1)',
    '--mantine-primary-color-light-color': 'var(--mantine-color-indigo-9)',
  },
  dark: {},
});
