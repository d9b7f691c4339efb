import { Box, Text } from 'ink';
import { useLayoutEffect } from 'react';
import type { Line } from '../../render/text.ts';
import type { Theme } from '../theme.ts';

/** Where a painted frame goes instead of through Ink's output (see run.tsx): one string a row. */
export type DrawFrame = (rows: readonly string[]) => void;

/**
 * Lines on screen. With `draw` (a live terminal) the painted rows go straight to it after each commit
 * and Ink is given nothing to lay out: Ink turns its output into one object per screen cell at every
 * frame, about 30 ms at 160x72, while these lines are already laid out, cut to the width and cut to the
 * height, so the screen writer only has to rewrite the rows that changed.
 *
 * Without `draw` (component tests) they go through Ink: one <Text> per row with the colours inside it
 * as escape codes. A blank row is drawn as a space, since an empty <Text> takes no height. There is no
 * `overflow="hidden"`: the lines already fit, and clipping makes Ink slice every line's escape codes.
 */
export function Frame({
  lines,
  theme,
  width,
  draw,
}: {
  lines: readonly Line[];
  theme: Theme;
  width: number;
  draw?: DrawFrame;
}) {
  const rows = lines.map((l) => theme.paint(l));
  useLayoutEffect(() => {
    draw?.(rows);
  });
  if (draw) return null;
  return (
    <Box flexDirection="column" width={width}>
      {rows.map((row, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a row's index is its place on the screen
        <Text key={i} wrap="truncate">
          {row || ' '}
        </Text>
      ))}
    </Box>
  );
}
