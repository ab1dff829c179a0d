// Runs one measured job in its own process so that its peak RSS is its own: `node child.js build MANIFEST OUT`.
import { build } from '../src/build.js';
import { verifyFileset } from '../src/ddp/verify.js';

const [, , job, ...args] = process.argv;
const started = performance.now();
if (job === 'build') {
  await build(args[0]!, args[1]!, { force: true, report: false });
} else if (job === 'build-report') {
  await build(args[0]!, args[1]!, { force: true, report: true });
} else if (job === 'verify') {
  const r = await verifyFileset(args[0]!);
  if (!r.ok) throw new Error('verify failed on a fresh build');
} else {
  throw new Error(`unknown job ${String(job)}`);
}
const seconds = (performance.now() - started) / 1000;
// resourceUsage().maxRSS is in kilobytes.
process.stdout.write(`${JSON.stringify({ seconds, peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
