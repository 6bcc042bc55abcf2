import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getViewer, safeNextPath } from "@/lib/auth";
import { AuthForm } from "../AuthForm";
import { AuthShell, SwitchLink } from "../AuthShell";

export const metadata: Metadata = { title: "Sign in", robots: { index: false } };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function SignInPage({ searchParams }: Props) {
  const next = safeNextPath((await searchParams).next);
  if ((await getViewer()).account) redirect(next);
  return (
    <AuthShell
      title="Sign in to netlab"
      lead="Pick up your lessons where you left off."
      footer={<>New to netlab? <SwitchLink to="/signup" next={next}>Create an account</SwitchLink></>}
    >
      <AuthForm mode="signin" next={next} />
    </AuthShell>
  );
}
