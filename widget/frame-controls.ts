import type { FrameHost } from '../shared/frame-host';

/**
 * The content script's frame host as the sidebar page reaches it: the same calls, answered
 * over the channel (a comlink proxy in the extension; a plain object in tests).
 */
export type FrameControls = {
  [K in keyof FrameHost]: (
    ...args: Parameters<FrameHost[K]>
  ) => Promise<ReturnType<FrameHost[K]>> | ReturnType<FrameHost[K]>;
};
