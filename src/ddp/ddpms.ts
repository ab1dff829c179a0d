// DDPMS: the map of the fileset's streams (formats.md, DDPMS).
import { DdpkitError, type Finding } from '../errors.js';
import { fieldFindings } from './ddpid.js';
import { DDPMS_PACKET_LENGTH, DDPMS_RECORD } from './fields.js';
import { MAX_DISC_PREGAP } from '../time.js';

/** The streams a DDPMS describes, for the writer: lengths in frames (image) and bytes (PQ, CD-Text). */
export interface DdpmsStreams {
  imageFrames: number;
  /** Frame of track 1's index 01: the whole disc pregap, hidden audio included. */
  pregapFrames: number;
  pqBytes: number;
  /** Size of CDTEXT.BIN; undefined or 0 when the disc has no CD-Text. */
  cdTextBytes?: number | undefined;
}

/** File names ddpkit gives its streams. Ref: formats.md, "DDP 2.00 fileset for an audio CD". */
export const IMAGE_FILE = 'IMAGE.DAT';
export const PQ_FILE = 'PQDESCR';
export const CDTEXT_FILE = 'CDTEXT.BIN';


/** DSI length ddpkit writes: the whole DSI field. Ref: formats.md, DDPMS. */
const DSI_LENGTH = 17;

/** What a stream is, from its DST, SUB and CDM. */
export type StreamRole = 'image' | 'pq' | 'cdtext' | 'other';

/** One DDPMS map packet as read. */
export interface DdpmsPacket {
  /** Packet number, 0-based, and its byte offset in DDPMS. */
  packet: number;
  offset: number;
  role: StreamRole;
  /** Data stream type: `D0`, `S0`, … */
  dst: string;
  /** Stream length: frames for D0, bytes for S0; undefined when blank or unreadable. */
  dsl: number | undefined;
  /** Start frame (blank = 0). */
  dss: number;
  /** Subcode descriptor with blanks removed: `PQDESCR`, `CDTEXT`, or as written. */
  sub: string;
  cdm: string;
  ssm: number | undefined;
  scr: number | undefined;
  pre2: number | undefined;
  trk: number | undefined;
  /** The stream's file name (DSI), '' when blank. */
  dsi: string;
  /** Byte offset of the stream inside its file (OFS; blank = 0). */
  ofs: number;
}

/** Stream types that exist in DDP but carry nothing ddpkit reads for an audio CD. Ref: formats.md, DDPMS. */
const OTHER_STREAM_TYPES = ['D2', 'D3', 'D4', 'T0', 'T1', 'T2', 'T3'];

/** The DDPMS map: CD-Text S0 (if any), PQ S0, then the D0 image packet. */
export function writeDdpms(streams: DdpmsStreams): Buffer {
  if (streams.pregapFrames > MAX_DISC_PREGAP) {
    throw new DdpkitError(
      'ddp',
      `ddpms: the disc pregap (track 1 index 01 at frame ${streams.pregapFrames}, hidden track included) is longer than ` +
        `${MAX_DISC_PREGAP} frames, which DDPMS PRE2 cannot hold: shorten the hidden track or track 1's gap`,
    );
  }
  const packets: Buffer[] = [];
  const common = { MPV: 'VVVM', DSIL: DSI_LENGTH } as const;
  if (streams.cdTextBytes !== undefined && streams.cdTextBytes > 0) {
    packets.push(
      DDPMS_RECORD.encode({ ...common, DST: 'S0', DSL: streams.cdTextBytes, SUB: 'CDTEXT', TRK: 0, DSI: CDTEXT_FILE }),
    );
  }
  packets.push(DDPMS_RECORD.encode({ ...common, DST: 'S0', DSL: streams.pqBytes, SUB: 'PQ DESCR', DSI: PQ_FILE }));
  packets.push(
    DDPMS_RECORD.encode({
      ...common,
      DST: 'D0',
      DSL: streams.imageFrames,
      CDM: 'DA',
      SSM: 7,
      SCR: 0,
      PRE2: streams.pregapFrames,
      DSI: IMAGE_FILE,
    }),
  );
  return Buffer.concat(packets);
}

/** Reads a DDPMS map: every whole packet, with findings for anything odd or wrong. */
export function readDdpms(buf: Buffer, fileName: string): { packets: DdpmsPacket[]; findings: Finding[] } {
  const findings: Finding[] = [];
  const at = (severity: Finding['severity'], code: string, message: string, packet?: number, offset?: number): void => {
    findings.push({ severity, code, file: fileName, offset, packet, message });
  };
  if (buf.length === 0) {
    at('error', 'ddpms-size', 'DDPMS is empty');
    return { packets: [], findings };
  }
  if (buf.length % DDPMS_PACKET_LENGTH !== 0) {
    at(
      'error',
      'ddpms-size',
      `DDPMS has ${buf.length} bytes, not a multiple of ${DDPMS_PACKET_LENGTH}: the last ${buf.length % DDPMS_PACKET_LENGTH} bytes are ignored`,
    );
  }
  const packets: DdpmsPacket[] = [];
  const count = Math.floor(buf.length / DDPMS_PACKET_LENGTH);
  for (let n = 0; n < count; n++) {
    const offset = n * DDPMS_PACKET_LENGTH;
    const { values: v, problems } = DDPMS_RECORD.get(buf, offset);
    findings.push(...fieldFindings(problems, 'ddpms', fileName, offset, n));
    const fieldAt = (name: Parameters<typeof DDPMS_RECORD.offsetOf>[0]): number => offset + DDPMS_RECORD.offsetOf(name);

    if (v.MPV !== 'VVVM') at('error', 'ddpms-marker', `packet starts "${v.MPV}", not VVVM`, n, offset);
    const sub = v.SUB.replaceAll(' ', '').toUpperCase();
    const cdm = v.CDM.trim().toUpperCase();
    const dst = v.DST.toUpperCase();
    const p: DdpmsPacket = {
      packet: n,
      offset,
      role: 'other',
      dst,
      dsl: v.DSL,
      dss: v.DSS ?? 0,
      sub,
      cdm,
      ssm: v.SSM,
      scr: v.SCR,
      pre2: v.PRE2,
      trk: v.TRK,
      dsi: streamName(v.DSI, v.DSIL, (m) => {
        at('warning', 'ddpms-dsi-length', m, n, fieldAt('DSIL'));
      }),
      ofs: v.OFS ?? 0,
    };
    if (dst === 'D0') {
      p.role = 'image';
      if (cdm !== 'DA') {
        at('error', 'ddpms-cdm', `D0 stream "${p.dsi}" has CDM "${v.CDM}", not DA: not CD audio`, n, fieldAt('CDM'));
      }
      if (v.SSM !== 7) {
        at('error', 'ddpms-ssm', `D0 stream has SSM "${v.SSM ?? ''}", not 7 (complete 2352-byte sectors)`, n, fieldAt('SSM'));
      }
      if (v.SCR !== 0 && v.SCR !== 1) {
        at('warning', 'ddpms-scr', `D0 stream has SCR "${v.SCR ?? ''}", expected 0 or 1`, n, fieldAt('SCR'));
      }
      if (v.DSL === undefined) at('error', 'ddpms-dsl', 'D0 stream has no length (DSL)', n, fieldAt('DSL'));
    } else if (dst === 'S0') {
      if (sub === 'PQDESCR') p.role = 'pq';
      else if (sub === 'CDTEXT') p.role = 'cdtext';
      else at('warning', 'ddpms-sub', `S0 stream "${p.dsi}" has subcode descriptor "${v.SUB}", neither PQ DESCR nor CDTEXT; ignored`, n, fieldAt('SUB'));
      if (v.DSL === undefined) at('warning', 'ddpms-dsl', `S0 stream "${p.dsi}" has no length (DSL)`, n, fieldAt('DSL'));
    } else if (OTHER_STREAM_TYPES.includes(dst)) {
      at('note', 'ddpms-stream-type', `stream type ${dst} ("${p.dsi}") is not part of an audio CD; ignored`, n, fieldAt('DST'));
    } else {
      at('error', 'ddpms-stream-type', `unknown stream type "${v.DST}"`, n, fieldAt('DST'));
    }
    if (p.dss !== 0) at('warning', 'ddpms-dss', `stream starts at frame ${p.dss}, not 0 (DSS)`, n, fieldAt('DSS'));
    if (p.dsi === '' && p.role !== 'other') at('error', 'ddpms-dsi', `${dst} stream has no file name (DSI)`, n, fieldAt('DSI'));
    packets.push(p);
  }
  return { packets, findings };
}

/** The DSI file name, cut to the DSI length when that is given and sensible. */
function streamName(dsi: string, length: number | undefined, warn: (message: string) => void): string {
  const full = dsi.trim();
  if (length === undefined || length === DSI_LENGTH) return full;
  if (length < 1 || length > DSI_LENGTH || dsi.slice(length).trim() !== '') {
    warn(`DSI length ${length} does not match the file name "${full}"; the whole name is used`);
    return full;
  }
  return dsi.slice(0, length).trim();
}
