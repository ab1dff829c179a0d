// ddpkit's public library API: what tests and other programs import. No internals.
export { SAMPLE_RATE, SAMPLES_PER_FRAME, BYTES_PER_FRAME, FRAMES_PER_SECOND, framesToMsf, msfToFrames, parseTime } from './time.js';
export { DdpkitError, formatProblem, formatFinding, type Problem, type Finding, type ProblemCode } from './errors.js';
export type { Disc, DiscTrack, IndexPoint, TrackFlags, CdText, TextFields, AudioSpan, Source, SourceFormat } from './disc/model.js';
export { trackStart, trackLength, indexFrame, controlNibble } from './disc/model.js';
export type { Album, AlbumTrack } from './manifest/album.js';
export { loadManifest, loadAlbum } from './manifest/load.js';
export { layOut } from './disc/layout.js';
export { planDisc, hasErrors, type DiscPlan } from './plan.js';
export { renderChunks, renderImage, type RenderOptions, type RenderStats } from './render/render.js';
export { ChunkPool, PooledChunk } from './render/chunk-pool.js';
export { writeFileset, type WriteFilesetOptions, type FilesetResult, type WrittenFile } from './ddp/write-fileset.js';
export { build, type BuildOptions, type BuildResult } from './build.js';
export { readWavHeader } from './audio/wav.js';
export { encodeCdText } from './cdtext/encode.js';
export { decodeCdText } from './cdtext/decode.js';
