import { useInput } from 'ink';
import { Component, type ReactNode, useCallback, useSyncExternalStore } from 'react';
import { line } from '../../render/text.ts';
import type { Controller } from '../controller.ts';
import type { Theme } from '../theme.ts';
import { type DrawFrame, Frame } from './Frame.tsx';

export interface AppProps {
  readonly controller: Controller;
  readonly theme: Theme;
  /** A live terminal's screen writer; without it the frame is drawn through Ink. */
  readonly draw?: DrawFrame;
}

/** The dashboard: the controller's current frame, redrawn whenever the controller's version changes. */
export function App({ controller, theme, draw }: AppProps) {
  const version = useSyncExternalStore(controller.subscribe, controller.getVersion);
  const onInput = useCallback<Parameters<typeof useInput>[0]>(
    (input, key) => controller.handleInput(input, key),
    [controller],
  );
  useInput(onInput);
  const frame = (lines: ReturnType<Controller['frame']>) => (
    <Frame lines={lines} theme={theme} width={controller.cols} draw={draw} />
  );
  return (
    <RenderGuard key={version} fallback={(e) => frame(errorLines(e))}>
      <CurrentFrame controller={controller} show={frame} />
    </RenderGuard>
  );
}

/** Builds the frame inside the guard, so that an error in any screen's renderer is caught there. */
function CurrentFrame({
  controller,
  show,
}: {
  controller: Controller;
  show: (lines: ReturnType<Controller['frame']>) => ReactNode;
}) {
  return show(controller.frame());
}

const errorLines = (e: Error) => [
  line(`memvisor could not draw this screen: ${e.message}`),
  line('q quits; the next update tries again. The simulation is unaffected.'),
];

interface GuardProps {
  readonly fallback: (error: Error) => ReactNode;
  readonly children: ReactNode;
}

/**
 * If drawing a frame throws, this shows why instead of taking the terminal down; keys still reach the
 * controller (App's input handler stays outside), so q quits. App keys the guard by the controller's
 * version, so every update is a fresh try: resetting an error from inside the guard can lose the race
 * with React's retry of the failed render and throw again forever.
 */
class RenderGuard extends Component<GuardProps, { error: Error | null }> {
  override state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override render() {
    return this.state.error ? this.props.fallback(this.state.error) : this.props.children;
  }
}
