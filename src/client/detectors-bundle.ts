// Every detector, found by file name at bundle time: adding src/detectors/<id>.ts adds it here.
import type { Detector } from '../engine/report/detector.ts';

const modules = import.meta.glob<{ default: Detector }>('../detectors/*.ts', { eager: true });

export const detectors: Detector[] = Object.values(modules)
  .map((m) => m.default)
  .sort((a, b) => a.id.localeCompare(b.id));
