// One look for opinion groups and segments wherever they are drawn (the staff app's charts and the printable
// report): a group is a colour, a segment is a marker shape, each chosen by its position and never by the order it
// happens to appear in a list, so group 2 and a segment look the same on every card, chart and legend.

/** Opinion groups' colours: Okabe–Ito, apart for common colour blindness; group n (0-based) takes the n-th. */
export const GROUP_COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'] as const;
export const groupColour = (groupId: number): string => GROUP_COLOURS[((groupId % GROUP_COLOURS.length) + GROUP_COLOURS.length) % GROUP_COLOURS.length]!;

/** Participants without a segment are circles; the dialogue's segments, in their order, take the shapes after it. */
export const MARKER_SHAPES = ['circle', 'square', 'triangle', 'diamond', 'cross', 'star'] as const;
export type MarkerShape = (typeof MARKER_SHAPES)[number];
/** `index`: the segment's position among the dialogue's segments, -1 for none. */
export const segmentShapeAt = (index: number): MarkerShape => (index < 0 ? 'circle' : MARKER_SHAPES[(index + 1) % MARKER_SHAPES.length]!);

/** Segments' colours where a segment is a share of a bar (a group's make-up), by the segment's position; none: grey. */
export const SEGMENT_COLOURS = ['#3B5BDB', '#E8590C', '#0C8599', '#9C36B5', '#E67700', '#1098AD'] as const;
export const segmentColourAt = (index: number): string => (index < 0 ? '#868E96' : SEGMENT_COLOURS[index % SEGMENT_COLOURS.length]!);

/** A marker as SVG markup centred on (x, y) with radius r (the report draws with strings, the app with React). */
export function markerPath(shape: MarkerShape, x: number, y: number, r: number): { tag: 'circle' | 'rect' | 'polygon' | 'path'; attrs: Record<string, string | number> } {
  const f = (v: number) => Number(v.toFixed(1));
  switch (shape) {
    case 'square':
      return { tag: 'rect', attrs: { x: f(x - r), y: f(y - r), width: f(2 * r), height: f(2 * r) } };
    case 'triangle':
      return { tag: 'polygon', attrs: { points: `${f(x)},${f(y - r * 1.2)} ${f(x - r * 1.1)},${f(y + r * 0.9)} ${f(x + r * 1.1)},${f(y + r * 0.9)}` } };
    case 'diamond':
      return { tag: 'polygon', attrs: { points: `${f(x)},${f(y - r * 1.3)} ${f(x + r * 1.3)},${f(y)} ${f(x)},${f(y + r * 1.3)} ${f(x - r * 1.3)},${f(y)}` } };
    case 'cross':
      return { tag: 'path', attrs: { d: `M${f(x - r)},${f(y - r)}L${f(x + r)},${f(y + r)}M${f(x + r)},${f(y - r)}L${f(x - r)},${f(y + r)}` } };
    case 'star': {
      const pts: string[] = [];
      for (let i = 0; i < 10; i++) {
        const a = (Math.PI / 5) * i - Math.PI / 2;
        const rr = i % 2 ? r * 1.3 * 0.45 : r * 1.3;
        pts.push(`${f(x + rr * Math.cos(a))},${f(y + rr * Math.sin(a))}`);
      }
      return { tag: 'polygon', attrs: { points: pts.join(' ') } };
    }
    default:
      return { tag: 'circle', attrs: { cx: f(x), cy: f(y), r: f(r) } };
  }
}
