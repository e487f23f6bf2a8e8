/** The six pillars, and which are built (a small module: the router needs it before any page loads). */
export const PILLARS: readonly { id: 'network' | 'research' | 'events' | 'campaigns' | 'trips' | 'updates'; built: boolean }[] = [
  { id: 'network', built: true },
  { id: 'research', built: true },
  { id: 'events', built: true },
  { id: 'campaigns', built: true },
  { id: 'trips', built: true },
  { id: 'updates', built: true },
];
export type PillarId = (typeof PILLARS)[number]['id'];

