import { z } from 'zod';
import { VOICE_OPTIONS } from './commands.js';

const byte = z.number().int().min(0).max(255);

/**
 * One board as installed: its bus address and how much text it shows. The
 * limits are the document's for a multi-line packet (at most 4 lines, a line's
 * TEXT at most 32 bytes, i.e. 16 Chinese characters); a 2-line board is
 * registered with `maxLines: 2`.
 */
export const BoardProfile = z.strictObject({
  address: byte.default(0),
  maxLines: z.number().int().min(1).max(4).default(4),
  maxLineBytes: z.number().int().min(2).max(236).default(32),
});
export type BoardProfile = z.infer<typeof BoardProfile>;

/**
 * 0x62 fields (document "0x62(下载临时文本)"). The defaults are the document's
 * own example frame except two choices of ours: `stay` 10 s and `repeat` 1, so
 * a refusal shows once for ten seconds and the board then goes back to its idle
 * text, instead of looping (`repeat` 0) until the next car.
 */
export const TextStyle = z.strictObject({
  /** ETM: 0x00 show at once, 0x01 right-to-left … 0x15 continuous left scroll. */
  enter: byte.default(0x00),
  /** ETS: 1–32. */
  speed: z.number().int().min(1).max(32).default(1),
  /** GST: 0 = the template's default, only read by multi-screen templates. */
  screenTime: byte.default(0),
  /** DT: seconds the text stays. */
  stay: byte.default(10),
  /** FINDEX: 0x03 = 宋体16, the font every board in the sources has. */
  font: z.number().int().min(0).max(7).default(3),
  /** DRS: times shown; 0 loops forever. */
  repeat: byte.default(1),
  /** TC: R, G, B (A is reserved, sent as 0). Red shows on single-colour boards too. */
  color: z.tuple([byte, byte, byte]).default([0xff, 0x00, 0x00]),
});
export type TextStyle = z.infer<typeof TextStyle>;

export const VoiceStyle = z.strictObject({
  /** OPT: the fixtures and the document's example use enqueue-and-play (0x01). */
  option: z.enum(VOICE_OPTIONS).default('enqueue-and-play'),
});
export type VoiceStyle = z.infer<typeof VoiceStyle>;
