import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getViewer, safeNextPath } from "@/lib/auth";
import { AuthForm } from "../AuthForm";
import { AuthShell, SwitchLink } from "../AuthShell";

export const metadata: Metadata = { title: "Create an account", robots: { index: false } };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function SignUpPage({ searchParams }: Props) {
  const next = safeNextPath((await searchParams).next);
  if ((await getViewer()).account) redirect(next);
  return (
    <AuthShell
      title="Create your account"
      lead="Free. Keeps the progress you have made in this browser."
      footer={<>Already have an account? <SwitchLink to="/signin" next={next}>Sign in</SwitchLink></>}
    >
      <AuthForm mode="signup" next={next} />
    </AuthShell>
  );
}
