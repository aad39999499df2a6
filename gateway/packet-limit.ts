import { Duplex, Transform, type TransformCallback } from 'node:stream';

/**
 * aedes has no maximum packet size: a client announcing a 256 MB PUBLISH is
 * buffered in full. This transform reads MQTT fixed headers as bytes stream past
 * and destroys the connection as soon as a packet announces more than `maxBytes`,
 * before its body is buffered anywhere.
 */
export class PacketLimit extends Transform {
  private headerBytes: number[] = [];
  private remaining = 0; // body bytes of the current packet still to pass

  constructor(
    private readonly maxBytes: number,
    private readonly onOversize: (announced: number) => void,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    let i = 0;
    while (i < chunk.length) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, chunk.length - i);
        this.remaining -= take;
        i += take;
        continue;
      }
      this.headerBytes.push(chunk[i]!);
      i++;
      const length = this.announcedLength();
      if (length === undefined) continue;
      this.headerBytes = [];
      if (length > this.maxBytes) {
        this.onOversize(length);
        done(new Error(`packet of ${length} bytes is over the ${this.maxBytes}-byte limit`));
        return;
      }
      this.remaining = length;
    }
    done(null, chunk);
  }

  /** MQTT 3.1.1 §2.2.3: the remaining length is 1–4 bytes of 7-bit groups after the type byte. */
  private announcedLength(): number | undefined {
    const h = this.headerBytes;
    if (h.length < 2) return undefined;
    let value = 0;
    let multiplier = 1;
    for (let j = 1; j < h.length; j++) {
      const b = h[j]!;
      value += (b & 0x7f) * multiplier;
      if ((b & 0x80) === 0) return value;
      multiplier *= 128;
      if (j === 4) return Number.MAX_SAFE_INTEGER; // malformed: more than 4 length bytes
    }
    return undefined;
  }
}

/** Wraps a connection so that reads pass the packet limit and writes go straight through. */
export function limitPackets(conn: Duplex, maxBytes: number, onOversize: (announced: number) => void): Duplex {
  const limit = new PacketLimit(maxBytes, onOversize);
  conn.pipe(limit);
  const wrapped = Duplex.from({ readable: limit, writable: conn });
  const destroyBoth = () => {
    conn.destroy();
    wrapped.destroy();
  };
  limit.on('error', destroyBoth);
  conn.on('error', () => wrapped.destroy());
  conn.on('close', () => wrapped.destroy());
  return wrapped;
}
