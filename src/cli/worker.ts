// A worker thread of `dumpatlas analyze`: loads the detectors once, then analyses one file per
// message and answers with its outcome. The main thread sends the next file only after the
// answer, so a worker holds one analysis at a time.
import { parentPort } from 'node:worker_threads';
import { describeError } from '../engine/core/errors.ts';
import { analyzeFile, failedOutcome, type FileTask } from './analyze-file.ts';
import { FilePool } from './file-pool.ts';
import { MAX_OPEN_IMAGES } from './image-files.ts';
import { loadPatterns } from './patterns.ts';

const port = parentPort;
if (!port) throw new Error('worker.ts runs as a worker thread of the dumpatlas CLI');
const patterns = loadPatterns();
const images = new FilePool(MAX_OPEN_IMAGES);
port.on('message', (task: FileTask) => {
  patterns
    .then((p) => analyzeFile(task, p, images))
    .catch((err: unknown) => failedOutcome(task, 'internal', describeError(err).message))
    .then((outcome) => port.postMessage(outcome));
});
