import type { z } from 'zod';
import { reject, type VendorRejection } from '../result.js';
import { encodeTextLine } from './codec.js';
import { BoardProfile, TextStyle } from './schemas.js';

/**
 * A contract `display` text → the board's lines. The contract does not say where
 * a line breaks; Linli's texts separate what belongs on separate lines with a
 * space ("月租车 欢迎回家", "车位已满 余位0"), so a text without '\n' breaks at
 * spaces, and a text with '\n' breaks only there. What does not fit in the
 * board's lines goes, space-joined, on its last line.
 */
export function splitDisplay(text: string, maxLines: number): string[] {
  const parts = (text.includes('\n') ? text.split(/\r?\n/) : text.split(/\s+/)).map((l) => l.trim()).filter(Boolean);
  if (parts.length <= maxLines) return parts;
  return [...parts.slice(0, maxLines - 1), parts.slice(maxLines - 1).join(' ')];
}

export interface EncodedDisplay {
  ok: true;
  lines: string[];
  /** One 0x62 frame per line, line 0 first. */
  frames: Uint8Array[];
  warnings: string[];
}

/** Text → one temporary-text frame per board line, within the board's line count and bytes per line. */
export function encodeDisplay(
  text: string,
  profile?: z.input<typeof BoardProfile>,
  style?: Partial<TextStyle>,
): EncodedDisplay | VendorRejection {
  const p = BoardProfile.safeParse(profile ?? {});
  if (!p.success) return reject('schema', `board.${p.error.issues[0]!.path.join('.')}`, p.error.issues[0]!.message);
  const board = p.data;
  const lines = splitDisplay(text, board.maxLines);
  const frames: Uint8Array[] = [];
  const warnings: string[] = [];
  for (const [i, line] of lines.entries()) {
    const encoded = encodeTextLine(i, line, style, board.address, board.maxLineBytes);
    if (!encoded.ok) return encoded;
    frames.push(encoded.frame);
    warnings.push(...encoded.warnings);
  }
  return { ok: true, lines, frames, warnings };
}
