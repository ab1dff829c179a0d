// Runs the CLI in-process with captured output.
import { main } from '../../src/cli/main.js';

/** Exit code and everything the CLI printed. */
export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** Runs `ddpkit …args` in-process. */
export async function runCli(...args: string[]): Promise<CliRun> {
  let out = '';
  let err = '';
  const code = await main(['node', 'ddpkit', ...args], {
    out: (t) => (out += t),
    err: (t) => (err += t),
    isTty: false,
  });
  return { code, out, err };
}
