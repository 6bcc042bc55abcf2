import type { Metadata, Viewport } from "next";
import { GeistSans } from "geist/font/sans";
import { GeistMono } from "geist/font/mono";
import type { ReactNode } from "react";
import { SiteHeader } from "./_components/SiteHeader";
import { SiteFooter } from "./_components/SiteFooter";
import "./globals.css";

const description =
  "Learn Kubernetes networking by doing: short lessons beside a real multi-node cluster that runs in your browser tab. No VM, no login wall.";

export const metadata: Metadata = {
  title: {
    template: "%s · netlab",
    default: "netlab — Kubernetes networking, hands-on",
  },
  description,
  applicationName: "netlab",
  openGraph: {
    type: "website",
    siteName: "netlab",
    title: "netlab — Kubernetes networking, hands-on",
    description,
  },
};

export const viewport: Viewport = {
  colorScheme: "light dark",
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#f5f7fb" },
    { media: "(prefers-color-scheme: dark)", color: "#0a1120" },
  ],
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" className={`${GeistSans.variable} ${GeistMono.variable}`}>
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <SiteHeader />
        <main id="main" tabIndex={-1}>
          {children}
        </main>
        <SiteFooter />
      </body>
    </html>
  );
}
