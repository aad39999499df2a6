/**
 * CRC-16/MODBUS (poly 0x8005 reflected = 0xA001, init 0xFFFF, no final XOR), the
 * check the board's protocol document specifies over DA … last DATA byte, sent
 * low byte first. Table-driven: a frame is checked on every reply we build.
 */
const TABLE = Uint16Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xa001 : c >>> 1;
  return c;
});

export function crc16Modbus(bytes: Uint8Array, end = bytes.length): number {
  let crc = 0xffff;
  for (let i = 0; i < end; i++) crc = (crc >>> 8) ^ TABLE[(crc ^ bytes[i]!) & 0xff]!;
  return crc;
}
