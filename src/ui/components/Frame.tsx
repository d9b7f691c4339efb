import { Box, Text } from 'ink';
import type { Line } from '../render/text.ts';
import type { Theme } from '../theme.ts';

/**
 * Lines on screen: one <Text> per row with the colours inside it as escape codes, which is what keeps
 * Ink cheap (one <Box> per cell costs twice the CPU). A blank row is drawn as a space, since an empty
 * <Text> takes no height. The lines are already cut to the width and the frame to its height, so there
 * is no `overflow="hidden"`: clipping makes Ink slice every line's escape codes again (a third of its
 * cost a frame).
 */
export function Frame({ lines, theme, width }: { lines: readonly Line[]; theme: Theme; width: number }) {
  return (
    <Box flexDirection="column" width={width}>
      {lines.map((l, i) => (
        // Rows are positions on the screen: the index is their identity.
        // biome-ignore lint/suspicious/noArrayIndexKey: a row's index is its place on the screen
        <Text key={i} wrap="truncate">
          {theme.paint(l) || ' '}
        </Text>
      ))}
    </Box>
  );
}
