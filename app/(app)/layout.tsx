import Link from "next/link";
import { requireActor } from "@/app/_lib/session";
import { TrpcProviders } from "@/app/_trpc/client";
import { SignOutButton } from "./sign-out-button";

const repLinks = [
  { href: "/", label: "Dashboard" },
  { href: "/scan", label: "Scan" },
  { href: "/drafts", label: "Drafts" },
  { href: "/contacts", label: "Contacts" },
];
const adminLinks = [
  { href: "/campaigns", label: "Campaigns" },
  { href: "/admin", label: "Admin" },
];

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const actor = await requireActor();
  const links = actor.role === "ADMIN" ? [...repLinks, ...adminLinks] : repLinks;
  return (
    <TrpcProviders>
      {/* The first thing Tab reaches: past the 7–9 header links straight to the page's own content
          (WCAG 2.4.1). Hidden until focused. */}
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:fixed focus:left-2 focus:top-2 focus:z-50 focus:rounded-lg focus:bg-white focus:px-4 focus:py-2 focus:text-sm focus:font-medium focus:text-indigo-700 focus:shadow-lg focus:ring-2 focus:ring-indigo-500"
        data-testid="skip-link"
      >
        Skip to content
      </a>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
          <Link href="/" className="font-semibold text-indigo-700">Sales Agent</Link>
          <nav aria-label={actor.role === "ADMIN" ? "Admin navigation" : "Main navigation"} className="flex flex-1 flex-wrap gap-4 text-sm">
            {links.map((l) => (
              // py-1.5: a tap target of 32 px, over WCAG 2.5.8's 24 px (the text alone is 20).
              <Link key={l.href} href={l.href} className="inline-block py-1.5 text-slate-600 hover:text-slate-900">{l.label}</Link>
            ))}
          </nav>
          <div className="flex items-center gap-3 text-sm">
            <Link href="/profile" className="text-slate-500 hover:text-slate-900" data-testid="current-user">{actor.email} · {actor.role === "ADMIN" ? "Admin" : "Rep"}</Link>
            <SignOutButton />
          </div>
        </div>
      </header>
      {/* tabIndex -1: the skip link's target takes focus, so the next Tab goes on from here. */}
      <main id="main" tabIndex={-1} className="mx-auto max-w-6xl px-4 py-6 focus:outline-none">{children}</main>
    </TrpcProviders>
  );
}
