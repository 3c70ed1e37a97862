// The folder calls the CLI awaits: node:fs's callback API, promisified. Not node:fs/promises,
// and taken with getBuiltinModule rather than imported, because an ES import of node:fs or
// node:util evaluates every lazy export they have (node:fs/promises with Node's streams and
// readline, node:util's worker_threads): ~13 ms of every start, a tenth of a small dump's run.
const { readdir: readdirCallback, stat: statCallback, statSync: statNow } = process.getBuiltinModule('node:fs');
const { promisify } = process.getBuiltinModule('node:util');

export const readdir = promisify(readdirCallback);
export const stat = promisify(statCallback);
export const statSync = statNow;
