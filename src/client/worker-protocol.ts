// Messages between the analyzer page and its Web Worker. The report crosses as the same
// plain object the CLI prints with --json, its long lists sent after it in parts.
import type { PatternCatalog } from '../catalog/schema.ts';
import type { Report } from '../engine/report/schema.ts';
import type { ReportPart } from './report-transfer.ts';

export type WorkerRequest =
  | { type: 'analyze-text'; id: number; text: string; name: string; catalog: PatternCatalog }
  | {
      type: 'analyze-file';
      id: number;
      file: Blob;
      name: string;
      images: { file: Blob; name: string }[];
      /** PDB and Breakpad .sym files, matched to modules by identity in the engine. */
      symbols?: { file: Blob; name: string }[];
      /** Use symbol files whose identity does not match their module. */
      forceSymbols?: boolean;
      catalog: PatternCatalog;
    };

export type WorkerResponse =
  /** Posted once when the worker's code has loaded, so the page knows it can start offline. */
  | { type: 'ready'; id: 0 }
  | { type: 'progress'; id: number; stage: string; fraction: number }
  /** The report; when `parts` > 0 its long lists are empty and that many `part` messages follow (report-transfer.ts). */
  | { type: 'done'; id: number; report: Report; parts: number }
  | { type: 'part'; id: number; part: ReportPart }
  | { type: 'error'; id: number; kind: string; message: string };
