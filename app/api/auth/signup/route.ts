import { signUp } from "@/lib/auth";

/** POST { email, password, displayName? } → 201 { account }; the guest's progress stays. */
export async function POST(request: Request) {
  return signUp(request);
}
