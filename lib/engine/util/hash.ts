/**
 * FNV-1a 32-bit, for stable generated names (kube-proxy chain suffixes, pod-template-hash).
 * Not cryptographic: it only has to be stable across browser and server.
 */
export function fnv1a32(input: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < input.length; i++) {
    h ^= input.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
