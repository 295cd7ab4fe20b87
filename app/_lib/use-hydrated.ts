"use client";
// True once this component's script has run in the browser. Forms that carry a password
// keep their submit button disabled until then: before hydration the browser would submit
// them itself (a GET puts every named field in the URL, the history and server logs), and a
// disabled default button also stops Enter from submitting (HTML's implicit submission).
import { useEffect, useState } from "react";

export function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}
