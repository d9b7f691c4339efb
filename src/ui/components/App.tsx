import { Box, Text, useInput } from 'ink';
import { Component, type ReactNode, useCallback, useSyncExternalStore } from 'react';
import type { Controller } from '../controller.ts';
import type { Theme } from '../theme.ts';
import { Frame } from './Frame.tsx';

export interface AppProps {
  readonly controller: Controller;
  readonly theme: Theme;
}

/** The dashboard: the controller's current frame, redrawn whenever the controller's version changes. */
export function App({ controller, theme }: AppProps) {
  useSyncExternalStore(controller.subscribe, controller.getVersion);
  const onInput = useCallback<Parameters<typeof useInput>[0]>(
    (input, key) => controller.handleInput(input, key),
    [controller],
  );
  useInput(onInput);
  return (
    <RenderGuard controller={controller}>
      <Frame lines={controller.frame()} theme={theme} width={controller.cols} />
    </RenderGuard>
  );
}

interface GuardProps {
  readonly controller: Controller;
  readonly children: ReactNode;
}

/**
 * If drawing a frame throws, this shows why instead of taking the terminal down; keys still reach the
 * controller (App's input handler stays mounted), so q quits, and the next update tries again.
 */
class RenderGuard extends Component<GuardProps, { error: Error | null; version: number }> {
  override state = { error: null as Error | null, version: -1 };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  static getDerivedStateFromProps(props: GuardProps, state: { error: Error | null; version: number }) {
    if (state.error && props.controller.version !== state.version)
      return { error: null, version: props.controller.version };
    return { version: props.controller.version };
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <Box flexDirection="column">
        <Text>memvisor could not draw this screen: {this.state.error.message}</Text>
        <Text>q quits; the next update tries again. The simulation is unaffected.</Text>
      </Box>
    );
  }
}
