// The operating system's own user-mode modules (the list lives in the engine's names, where
// the failure bucket uses it too). A frame in one of them is the OS at work on the program's
// behalf; the first frame outside them is the code that asked for it.
import type { Frame } from '../../engine/core/dump-model.ts';
import { isSystemModule } from '../../engine/names/system-modules.ts';

export { isSystemModule, moduleKey } from '../../engine/names/system-modules.ts';

/** A frame in an operating-system module (a frame with no module is not). */
export function isSystemFrame(f: Frame): boolean {
  return f.module !== null && isSystemModule(f.module);
}
