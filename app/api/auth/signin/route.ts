import { signIn } from "@/lib/auth";

/** POST { email, password } → 200 { account }, 401 wrong credentials, 429 locked (Retry-After). */
export async function POST(request: Request) {
  return signIn(request);
}
