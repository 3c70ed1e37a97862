// Before the unit tests: rebuild the prebuilt CLI (dist-cli/) when src/ changed since it was
// built, so the tests that start `bin/dumpatlas.js` as a user would run today's code through
// the same files a user runs, and the --html page has its renderer.
import { existsSync, readFileSync } from 'node:fs';
import { buildCli, newestSourceTime } from '../scripts/build-cli.ts';

export default async function setup(): Promise<void> {
  let built = -1;
  try {
    if (existsSync('dist-cli/dumpatlas.mjs')) built = (JSON.parse(readFileSync('dist-cli/build-info.json', 'utf8')) as { sourceTime: number }).sourceTime;
  } catch {
    built = -1;
  }
  if (built < newestSourceTime()) await buildCli();
}
