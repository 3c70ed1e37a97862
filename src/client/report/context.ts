// What the report's parts share while they are built: hooks the page supplies, so rendering
// stays a pure function of the report (tests can build it without a worker or shiki).
export interface RenderContext {
  /** Called for every stack block as it is built (the page colours it with shiki, asynchronously). */
  decorateStack(pre: HTMLElement): void;
}

export const plainContext: RenderContext = { decorateStack: () => {} };
