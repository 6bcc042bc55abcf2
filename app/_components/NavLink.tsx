"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";

/** A header link that knows whether the visitor is inside its section. */
export function NavLink({
  href,
  match,
  className,
  children,
}: {
  href: string;
  /** Path prefix (besides the link's own page) that counts as "inside" this section. */
  match: string;
  className?: string;
  children: ReactNode;
}) {
  const pathname = usePathname();
  const page = href.split("#")[0] || "/";
  const current = pathname === page ? "page" : pathname.startsWith(match) ? "true" : undefined;
  return (
    <Link href={href} className={className} aria-current={current}>
      {children}
    </Link>
  );
}
