import { useInput, useStdin } from 'ink';
import { Component, type ReactNode, useCallback, useEffect, useRef, useSyncExternalStore } from 'react';
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
  // Ink hands Esc and a key read with it ("\x1b:", typed fast or sent at once) over as the key alone
  // when the key is not a letter or digit; this listener, added before useInput's, sees the raw input
  // first and keeps the Esc.
  const { internal_eventEmitter: rawInput } = useStdin();
  const lostEscape = useRef(false);
  useEffect(() => {
    const spot = (data: string): void => {
      lostEscape.current = ESC_AND_KEY.test(data);
    };
    rawInput.on('input', spot);
    return () => {
      rawInput.off('input', spot);
    };
  }, [rawInput]);
  const onInput = useCallback<Parameters<typeof useInput>[0]>(
    (input, key) => {
      if (lostEscape.current) {
        lostEscape.current = false;
        void controller.key({ name: 'escape' });
      }
      return controller.handleInput(input, key);
    },
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

// biome-ignore lint/suspicious/noControlCharactersInRegex: Esc is what this looks for
const ESC_AND_KEY = /^\x1b[^\x1b[O0-9A-Za-z\x00-\x20\x7f]$/;

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
