// Measures CRC-32 throughput of the `crc-32` package, node:zlib's crc32 and @node-rs/crc32, to pick
// one for src/checksum/digest.ts. Runs compiled (node dist/bench/crc32.js) or with type stripping
// (node --experimental-strip-types bench/crc32.ts on Node 22.6+). Optional args: total MB, chunk MB.
import { crc32 as nodeRsCrc32 } from '@node-rs/crc32';
import CRC32 from 'crc-32';
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import * as zlib from 'node:zlib';

/** One measured candidate: its name, the CRC it produced, seconds and MB/s. */
export interface CrcBenchResult {
  name: string;
  crc: number;
  seconds: number;
  mbPerSecond: number;
}

/** A checksum under test: `start` before each round, `update` per chunk, `finish` gives the result. */
interface Candidate {
  name: string;
  start(): void;
  update(chunk: Uint8Array): void;
  finish(): number;
}

/** CRC-32 candidates available on this Node, plus MD5 as the reference ddpkit computes alongside. */
function candidates(): Candidate[] {
  let crc = 0;
  const list: Candidate[] = [
    {
      name: 'crc-32 CRC32.buf',
      start: () => (crc = 0),
      update: (chunk) => (crc = CRC32.buf(chunk, crc)),
      finish: () => crc >>> 0,
    },
  ];
  const zlibCrc32 = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;
  if (typeof zlibCrc32 === 'function') {
    list.push({ name: 'node:zlib crc32', start: () => (crc = 0), update: (chunk) => (crc = zlibCrc32(chunk, crc)), finish: () => crc });
  }
  list.push({ name: '@node-rs/crc32', start: () => (crc = 0), update: (chunk) => (crc = nodeRsCrc32(chunk, crc)), finish: () => crc >>> 0 });
  let hash = createHash('md5');
  list.push({
    name: 'md5 (reference)',
    start: () => (hash = createHash('md5')),
    update: (chunk) => hash.update(chunk),
    finish: () => hash.digest().readUInt32BE(0),
  });
  return list;
}

/** Measures each candidate over `totalMb` MB fed in `chunkMb` MB chunks (best of `rounds`). */
export function benchCrc32(totalMb = 256, chunkMb = 1, rounds = 3): CrcBenchResult[] {
  // A pool of distinct chunks so that the loop does not keep re-reading one cache-hot buffer.
  const chunkBytes = Math.round(chunkMb * 1024 * 1024);
  const pool: Buffer[] = [];
  let seed = 0x12345678;
  for (let i = 0; i < 16; i++) {
    const b = Buffer.allocUnsafe(chunkBytes);
    for (let j = 0; j + 4 <= chunkBytes; j += 4) {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      b.writeUInt32LE(seed, j);
    }
    pool.push(b);
  }
  const chunks = Math.round(totalMb / chunkMb);
  const results: CrcBenchResult[] = [];
  for (const c of candidates()) {
    let best = Infinity;
    let crc = 0;
    for (let r = 0; r < rounds; r++) {
      const t0 = performance.now();
      c.start();
      for (let i = 0; i < chunks; i++) c.update(pool[i % pool.length]!);
      crc = c.finish();
      best = Math.min(best, (performance.now() - t0) / 1000);
    }
    results.push({ name: c.name, crc, seconds: best, mbPerSecond: (chunks * chunkMb) / best });
  }
  return results;
}

function main(): void {
  const totalMb = Number(process.argv[2] ?? 256);
  const chunkMb = Number(process.argv[3] ?? 1);
  console.log(`CRC-32 over ${totalMb} MB in ${chunkMb} MB chunks, best of 3 (node ${process.version})`);
  const results = benchCrc32(totalMb, chunkMb);
  for (const r of results) {
    const crc = r.name.startsWith('md5') ? '' : `  crc ${r.crc.toString(16).toUpperCase().padStart(8, '0')}`;
    console.log(`${r.name.padEnd(20)} ${r.seconds.toFixed(3).padStart(8)} s ${r.mbPerSecond.toFixed(0).padStart(7)} MB/s${crc}`);
  }
}

const invoked = process.argv[1] ?? '';
if (/crc32\.[jt]s$/.test(invoked)) main();
