import { p256 } from "@noble/curves/nist.js";
const t = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
const w = Number(process.argv[2]);
let t0 = t();
if (w) (p256.Point.BASE as any).precompute(w, false);
const sk = p256.utils.randomSecretKey(new Uint8Array(48).fill(7));
p256.getPublicKey(sk);
const first = t() - t0;
t0 = t();
for (let i = 0; i < 30; i++) { p256.getPublicKey(p256.utils.randomSecretKey(new Uint8Array(48).fill(i + 9))); }
console.log(`w=${w || "default"} first=${first.toFixed(1)} next30=${(t() - t0).toFixed(1)}`);
