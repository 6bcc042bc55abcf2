import { signOut } from "@/lib/auth";

/** POST → 204; the session ends and the browser gets a fresh guest id. */
export async function POST(request: Request) {
  return signOut(request);
}
