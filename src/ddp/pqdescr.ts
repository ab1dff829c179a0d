// PQDESCR: the PQ subcode description, one packet per index point (formats.md, PQDESCR).
import { ISRC_RE, normaliseIsrc } from '../disc/codes.js';
import { controlNibble, type Disc, type DiscTrack, type TrackFlags } from '../disc/model.js';
import type { Finding } from '../errors.js';
import { framesToMsf, MAX_TRACKS, MIN_DISC_PREGAP, MIN_TRACK_FRAMES } from '../time.js';
import { checkUpc, fieldFindings } from './ddpid.js';
import { LEAD_OUT_TRACK, PQ_PACKET_LENGTH, PQ_RECORD } from './fields.js';

/** One PQDESCR packet as read. */
export interface PqPacket {
  /** Packet number, 0-based, and its byte offset in the file. */
  packet: number;
  offset: number;
  /** 0 lead-in, 1–99, {@link LEAD_OUT_TRACK} lead-out; undefined when unreadable. */
  track: number | undefined;
  index: number | undefined;
  /** Absolute frame from the first frame of the image; undefined when unreadable. */
  frame: number | undefined;
  /** Q-channel control nibble from CB1, undefined when CB1 is unreadable. */
  control: number | undefined;
  scms: boolean;
  /** ISRC and UPC fields as written (trailing blanks trimmed), '' when blank. */
  isrc: string;
  upc: string;
}

/** The disc layout a PQDESCR describes. */
export interface PqLayout {
  /** Tracks with index 01 (others are reported and left out), absolute frames, ISRC and flags. */
  tracks: DiscTrack[];
  /** Frame of the (first) lead-out packet, undefined when there is none. */
  leadOut: number | undefined;
  /** UPC/EAN from any packet (normally the lead-in), undefined when none. */
  upc: string | undefined;
}


/** CB1: the control nibble as a hex digit, then `1` (or `S` for SCMS). Ref: formats.md, PQDESCR. */
export function cb1(flags: TrackFlags): string {
  return `${controlNibble(flags).toString(16).toUpperCase()}${flags.scms ? 'S' : '1'}`;
}

/** CB1 of the lead-in and lead-out packets. Ref: formats.md, PQDESCR. */
const PLAIN_CB1 = '01';

/** The PQDESCR packets of a disc: lead-in with the UPC, each track's indexes, the lead-out twice. */
export function writePqdescr(disc: Disc): Buffer {
  const packets: Buffer[] = [];
  const packet = (values: Parameters<typeof PQ_RECORD.encode>[0]): void => {
    packets.push(PQ_RECORD.encode({ SPV: 'VVVS', ...values }));
  };
  packet({ TRK: 0, IDX: 0, MSF: 0, CB1: PLAIN_CB1, UPC: disc.upc });
  for (const track of disc.tracks) {
    const code = cb1(track.flags);
    const indexes = [...track.indexes];
    // Track 1's pregap always starts the image (formats.md, PQDESCR: "track 1 always has one").
    if (track.number === 1 && indexes[0]?.number !== 0) indexes.unshift({ number: 0, frame: 0 });
    for (const ix of indexes) {
      const isrc = ix.number <= 1 ? track.isrc : undefined;
      packet({ TRK: track.number, IDX: ix.number, MSF: ix.frame, CB1: code, ISRC: isrc });
    }
  }
  for (let i = 0; i < 2; i++) packet({ TRK: LEAD_OUT_TRACK, IDX: 1, MSF: disc.leadOut, CB1: PLAIN_CB1 });
  return Buffer.concat(packets);
}

/** Reads PQDESCR packets and the layout they describe, with findings for everything odd or wrong. */
export function readPqdescr(
  buf: Buffer,
  fileName: string,
): { packets: PqPacket[]; layout: PqLayout; findings: Finding[] } {
  const findings: Finding[] = [];
  if (buf.length === 0) {
    findings.push({ severity: 'error', code: 'pq-size', file: fileName, message: 'the PQ file is empty' });
  } else if (buf.length % PQ_PACKET_LENGTH !== 0) {
    findings.push({
      severity: 'error',
      code: 'pq-size',
      file: fileName,
      message: `the PQ file has ${buf.length} bytes, not a multiple of ${PQ_PACKET_LENGTH}: the last ${buf.length % PQ_PACKET_LENGTH} bytes are ignored`,
    });
  }
  const packets: PqPacket[] = [];
  const count = Math.floor(buf.length / PQ_PACKET_LENGTH);
  for (let n = 0; n < count; n++) packets.push(readPacket(buf, n, fileName, findings));
  const layout = pqLayout(packets, fileName, findings);
  return { packets, layout, findings };
}

function readPacket(buf: Buffer, n: number, fileName: string, findings: Finding[]): PqPacket {
  const offset = n * PQ_PACKET_LENGTH;
  const { values: v, problems } = PQ_RECORD.get(buf, offset);
  findings.push(...fieldFindings(problems, 'pq', fileName, offset, n));
  const at = (severity: Finding['severity'], code: string, message: string, field?: Parameters<typeof PQ_RECORD.offsetOf>[0]): void => {
    findings.push({ severity, code, file: fileName, offset: offset + (field ? PQ_RECORD.offsetOf(field) : 0), packet: n, message });
  };
  if (v.SPV !== 'VVVS') at('error', 'pq-marker', `packet starts "${v.SPV}", not VVVS`);
  if (v.hours !== undefined && v.hours !== 0) at('warning', 'pq-hours', `hours field is ${v.hours}; ignored`, 'hours');
  if (v.TRK === undefined && !problems.some((p) => p.field === 'TRK')) at('error', 'pq-field', 'TRK is blank', 'TRK');
  if (v.IDX === undefined && !problems.some((p) => p.field === 'IDX')) at('error', 'pq-field', 'IDX is blank', 'IDX');
  if (v.MSF === undefined && !problems.some((p) => p.field === 'MSF')) at('error', 'pq-field', 'time is blank', 'MSF');

  let control: number | undefined;
  let scms = false;
  const m = /^([0-9A-F])([1S])$/i.exec(v.CB1);
  if (m) {
    control = parseInt(m[1]!, 16);
    scms = m[2]!.toUpperCase() === 'S';
  } else {
    at('warning', 'pq-cb1', `CB1 "${v.CB1}" is not a control digit followed by 1 or S`, 'CB1');
  }
  const isTrack = v.TRK !== undefined && v.TRK >= 1 && v.TRK <= MAX_TRACKS;
  if (isTrack && control !== undefined) {
    if (control & 4) at('error', 'pq-cb1', `CB1 "${v.CB1}" marks a data track; ddpkit reads audio CDs only`, 'CB1');
    if (control & 8) at('warning', 'pq-cb1', `CB1 "${v.CB1}" marks four-channel audio`, 'CB1');
    if (scms && control & 2) at('error', 'pq-cb1', `CB1 "${v.CB1}" sets both copy permitted and SCMS`, 'CB1');
  }
  return { packet: n, offset, track: v.TRK, index: v.IDX, frame: v.MSF, control, scms, isrc: v.ISRC.trim(), upc: v.UPC.trim() };
}

interface TrackBuild {
  track: DiscTrack;
  /** Packet that set the track's flags, for the consistency check. */
  flagsFrom: PqPacket | undefined;
  isrcFrom: PqPacket | undefined;
}

/** Builds tracks, indexes, lead-out and UPC from packets, checking their order and the Red Book rules. */
export function pqLayout(packets: PqPacket[], fileName: string, findings: Finding[]): PqLayout {
  const at = (severity: Finding['severity'], code: string, message: string, p?: PqPacket): void => {
    findings.push({ severity, code, file: fileName, offset: p?.offset, packet: p?.packet, message });
  };
  const builds: TrackBuild[] = [];
  let leadIn = false;
  let leadOut: PqPacket | undefined;
  let leadOuts = 0;
  let lastFrame = -1;
  const upcs: { upc: string; p: PqPacket }[] = [];

  for (const p of packets) {
    if (p.upc !== '') upcs.push({ upc: p.upc, p });
    if (p.track === undefined || p.index === undefined || p.frame === undefined) continue;
    if (p.track === 0) {
      if (builds.length > 0 || leadOut) at('error', 'pq-track-order', 'lead-in packet after the first track', p);
      leadIn = true;
      if (p.index !== 0 || p.frame !== 0) {
        at('warning', 'pq-lead-in', `lead-in packet is index ${p.index} at ${framesToMsf(p.frame)}, expected 00 at 00:00:00`, p);
      }
      continue;
    }
    if (p.track === LEAD_OUT_TRACK) {
      leadOuts++;
      if (p.index !== 1) at('warning', 'pq-lead-out', `lead-out packet has index ${p.index}, expected 01`, p);
      if (!leadOut) {
        leadOut = p;
        if (p.frame <= lastFrame) at('error', 'pq-time-order', `lead-out at ${framesToMsf(p.frame)} is not after the last index`, p);
        lastFrame = Math.max(lastFrame, p.frame);
      } else if (p.frame !== leadOut.frame) {
        at('error', 'pq-lead-out', `lead-out packets disagree: ${framesToMsf(leadOut.frame!)} and ${framesToMsf(p.frame)}`, p);
      }
      continue;
    }
    if (p.track > MAX_TRACKS) {
      at('error', 'pq-track-order', `track number ${p.track} is out of range`, p);
      continue;
    }
    if (leadOut) {
      at('error', 'pq-track-order', `track ${p.track} packet after the lead-out; ignored`, p);
      continue;
    }
    let b = builds[builds.length - 1];
    if (!b || p.track !== b.track.number) {
      const expected = b ? b.track.number + 1 : 1;
      if (b && p.track < b.track.number) {
        at('error', 'pq-track-order', `track ${p.track} packet after track ${b.track.number}; ignored`, p);
        continue;
      }
      if (p.track !== expected) at('error', 'pq-track-order', `track ${p.track} follows track ${expected - 1}; expected track ${expected}`, p);
      if (p.index > 1) at('error', 'pq-index-order', `track ${p.track} starts with index ${p.index}`, p);
      b = { track: { number: p.track, indexes: [], flags: { copyPermitted: false, preEmphasis: false, scms: false } }, flagsFrom: undefined, isrcFrom: undefined };
      builds.push(b);
    } else {
      const last = b.track.indexes[b.track.indexes.length - 1]!;
      if (p.index <= last.number) {
        at('error', 'pq-index-order', `track ${p.track} index ${p.index} follows index ${last.number}; ignored`, p);
        continue;
      }
      if (p.index !== last.number + 1) at('warning', 'pq-index-order', `track ${p.track} index ${p.index} follows index ${last.number}`, p);
    }
    if (p.frame <= lastFrame) {
      at('error', 'pq-time-order', `track ${p.track} index ${p.index} at ${framesToMsf(p.frame)} is not after the previous index`, p);
    }
    lastFrame = Math.max(lastFrame, p.frame);
    b.track.indexes.push({ number: p.index, frame: p.frame });
    if (p.control !== undefined) {
      const flags: TrackFlags = { copyPermitted: (p.control & 2) !== 0, preEmphasis: (p.control & 1) !== 0, scms: p.scms };
      if (!b.flagsFrom) {
        b.track.flags = flags;
        b.flagsFrom = p;
      } else if (p.control !== b.flagsFrom.control || p.scms !== b.flagsFrom.scms) {
        at('error', 'pq-flags', `track ${p.track} index ${p.index} has control bits that differ from its index ${b.flagsFrom.index}`, p);
      }
    }
    if (p.isrc !== '') {
      const isrc = normaliseIsrc(p.isrc);
      if (isrc !== p.isrc) at('warning', 'isrc-format', `track ${p.track} ISRC "${p.isrc}" read as ${isrc}`, p);
      if (!b.isrcFrom) {
        b.track.isrc = isrc;
        b.isrcFrom = p;
      } else if (isrc !== b.track.isrc) {
        at('error', 'isrc-conflict', `track ${p.track} has two ISRCs: ${b.track.isrc ?? ''} and ${isrc}`, p);
      }
    }
  }

  if (!leadIn) at('warning', 'pq-lead-in', 'no lead-in packet (track 00)');
  if (!leadOut) at('error', 'pq-lead-out', 'no lead-out packet (track AA)');
  else if (leadOuts > 2) at('warning', 'pq-lead-out', `${leadOuts} lead-out packets; one or two expected`, leadOut);

  const tracks: DiscTrack[] = [];
  for (const b of builds) {
    if (!b.track.indexes.some((i) => i.number === 1)) {
      at('error', 'pq-index-order', `track ${b.track.number} has no index 01; left out`);
      continue;
    }
    tracks.push(b.track);
  }
  const leadOutFrame = leadOut?.frame;
  checkRules(tracks, builds, leadOutFrame, at);
  return { tracks, leadOut: leadOutFrame, upc: discUpc(upcs, fileName, findings) };
}

type At = (severity: Finding['severity'], code: string, message: string, p?: PqPacket) => void;

/** Red Book rules on the layout: track count, disc pregap, track lengths, ISRC form and uniqueness. */
function checkRules(tracks: DiscTrack[], builds: TrackBuild[], leadOut: number | undefined, at: At): void {
  if (tracks.length === 0) at('error', 'pq-track-count', 'no tracks');
  if (tracks.length > MAX_TRACKS) at('error', 'pq-track-count', `${tracks.length} tracks; a CD has at most ${MAX_TRACKS}`);
  const first = tracks[0];
  if (first) {
    const start = first.indexes.find((i) => i.number === 1)!.frame;
    if (start < MIN_DISC_PREGAP) {
      at('error', 'pq-pregap', `track 1 index 01 is at ${framesToMsf(start)}, before 00:02:00`);
    }
    if (first.indexes[0]?.number !== 0 || first.indexes[0].frame !== 0) {
      at('warning', 'pq-pregap', 'track 1 has no index 00 at 00:00:00');
    }
  }
  for (let i = 0; i < tracks.length; i++) {
    const t = tracks[i]!;
    const start = t.indexes.find((x) => x.number === 1)!.frame;
    const next = tracks[i + 1];
    const end = next ? next.indexes.find((x) => x.number === 1)!.frame : leadOut;
    if (end !== undefined && end - start < MIN_TRACK_FRAMES) {
      at('error', 'pq-track-length', `track ${t.number} is ${framesToMsf(Math.max(0, end - start))} long, shorter than 4 seconds`);
    }
  }
  const seen = new Map<string, number>();
  for (const b of builds) {
    const isrc = b.track.isrc;
    if (isrc === undefined) continue;
    if (!ISRC_RE.test(isrc)) {
      at('error', 'isrc-format', `track ${b.track.number} ISRC "${isrc}" is not CCXXXYYNNNNN`, b.isrcFrom);
    }
    const other = seen.get(isrc);
    if (other !== undefined) {
      at('warning', 'isrc-duplicate', `track ${b.track.number} has the same ISRC as track ${other}: ${isrc}`, b.isrcFrom);
    } else seen.set(isrc, b.track.number);
  }
}

function discUpc(upcs: { upc: string; p: PqPacket }[], fileName: string, findings: Finding[]): string | undefined {
  let upc: string | undefined;
  for (const { upc: text, p } of upcs) {
    const ean = checkUpc(text, fileName, p.offset + PQ_RECORD.offsetOf('UPC'), p.packet, findings);
    if (ean === undefined) continue;
    if (upc === undefined) upc = ean;
    else if (ean !== upc) {
      findings.push({
        severity: 'error',
        code: 'upc-conflict',
        file: fileName,
        offset: p.offset,
        packet: p.packet,
        message: `packets carry two UPC/EANs: ${upc} and ${ean}`,
      });
    }
  }
  return upc;
}

/** Checks a layout against the image it describes: lead-out = image length, every index inside the image. */
export function checkPqAgainstImage(layout: PqLayout, imageFrames: number, fileName: string): Finding[] {
  const findings: Finding[] = [];
  if (layout.leadOut !== undefined && layout.leadOut !== imageFrames) {
    findings.push({
      severity: 'error',
      code: 'pq-lead-out',
      file: fileName,
      message: `lead-out at ${framesToMsf(layout.leadOut)} but the image is ${framesToMsf(imageFrames)} (${imageFrames} frames) long`,
    });
  }
  for (const t of layout.tracks) {
    for (const i of t.indexes) {
      if (i.frame >= imageFrames) {
        findings.push({
          severity: 'error',
          code: 'pq-time-range',
          file: fileName,
          message: `track ${t.number} index ${i.number} at ${framesToMsf(i.frame)} is past the end of the image (${framesToMsf(imageFrames)})`,
        });
      }
    }
  }
  return findings;
}
