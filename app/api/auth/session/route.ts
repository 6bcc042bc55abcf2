import { describeSession } from "@/lib/auth";

/** GET → { account } (null for guests). Also where a day-old session token is rotated. */
export async function GET() {
  return describeSession();
}
