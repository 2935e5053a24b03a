const GREGORIAN_OFFSET_100NS = 0x01b21dd213814000n;

function hex(n: bigint | number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

/** A lowercase UUID v1 generator (time-based, random node), like the IM's infrastructure ids. */
export function createUuidV1Generator(now: () => number = Date.now): () => string {
  const node = globalThis.crypto.getRandomValues(new Uint8Array(6));
  node[0] |= 0x01; // multicast bit: a random node id, not a MAC address
  const nodeHex = Array.from(node, (b) => hex(b, 2)).join('');
  const clockSeq = globalThis.crypto.getRandomValues(new Uint16Array(1))[0] & 0x3fff;
  let last = -1n;
  return () => {
    let ts = BigInt(Math.floor(now())) * 10_000n + GREGORIAN_OFFSET_100NS;
    if (ts <= last) ts = last + 1n;
    last = ts;
    const timeLow = ts & 0xffffffffn;
    const timeMid = (ts >> 32n) & 0xffffn;
    const timeHi = ((ts >> 48n) & 0x0fffn) | 0x1000n;
    const seq = clockSeq | 0x8000;
    return `${hex(timeLow, 8)}-${hex(timeMid, 4)}-${hex(timeHi, 4)}-${hex(seq, 4)}-${nodeHex}`;
  };
}

export function randomUuid(): string {
  return globalThis.crypto.randomUUID();
}
