/** `#/shed/<shedId>`: the address the QR code at a shed points to. Public, no login. */
const SHED_ADDRESS = /^#\/shed\/([^/?#]+)\/?$/;

/** The shed a hash names, or undefined when it is not a shed's public page. */
export function shedIdOf(hash: string): string | undefined {
  const m = SHED_ADDRESS.exec(hash);
  if (!m) return undefined;
  try {
    return decodeURIComponent(m[1]!);
  } catch {
    return undefined; // a torn QR scan ("%E5%") is not a shed
  }
}

export const isShedAddress = (hash: string): boolean => shedIdOf(hash) !== undefined;

export const shedAddress = (shedId: string): string => `#/shed/${encodeURIComponent(shedId)}`;
