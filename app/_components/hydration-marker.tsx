"use client";
// Marks <html data-hydrated="true"> once React has hydrated the page, so automation (the
// Playwright tests' sign-in step) can wait until click and input handlers exist instead of
// acting on server-rendered HTML whose handlers are not attached yet: an early click is
// lost (CI once lost a sign-out click that way). People are covered separately: buttons
// that matter stay disabled until hydrated (app/_lib/use-hydrated.ts).
import { useEffect } from "react";

export function HydrationMarker() {
  useEffect(() => {
    document.documentElement.dataset.hydrated = "true";
  }, []);
  return null;
}
