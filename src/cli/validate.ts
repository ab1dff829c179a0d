// `ddpkit validate`: check a manifest and print the disc plan.
import { formatProblem } from '../errors.js';
import { hasErrors, planDisc } from '../plan.js';
import { planData, planText } from '../report/plan.js';
import type { Io } from './main.js';

/** Prints every problem (or the plan) and returns the exit code. */
export async function validateCommand(manifest: string, opts: { json: boolean }, io: Io): Promise<number> {
  const plan = await planDisc(manifest);
  const failed = hasErrors(plan.problems) || !plan.disc;
  if (opts.json) {
    io.out(
      `${JSON.stringify(
        {
          valid: !failed,
          problems: plan.problems.map((p) => ({ ...p, text: formatProblem(p) })),
          plan: plan.disc ? planData(plan.disc) : null,
        },
        null,
        2,
      )}\n`,
    );
    return failed ? 1 : 0;
  }
  for (const p of plan.problems) io.err(`${formatProblem(p)}\n`);
  if (failed || !plan.disc) {
    const n = plan.problems.filter((p) => p.severity === 'error').length;
    io.err(`${manifest}: ${n} error${n === 1 ? '' : 's'}\n`);
    return 1;
  }
  io.out(planText(plan.disc));
  return 0;
}
