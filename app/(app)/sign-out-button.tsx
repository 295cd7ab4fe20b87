"use client";
import { signOut } from "next-auth/react";
import { useHydrated } from "@/app/_lib/use-hydrated";

// Disabled until hydrated: the header is server-rendered, so the button is visible before its
// click handler exists, and a click in that moment would do nothing at all (CI caught a
// sign-out click that was silently lost this way). A disabled button says "not yet" instead.
export function SignOutButton() {
  const hydrated = useHydrated();
  return (
    <button
      type="button"
      className="btn-secondary py-1"
      disabled={!hydrated}
      onClick={() => signOut({ callbackUrl: "/login" })}
    >
      Sign out
    </button>
  );
}
