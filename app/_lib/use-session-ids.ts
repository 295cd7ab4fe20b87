"use client";
// A list of ids kept in this tab's sessionStorage, so the scan page's progress list survives a
// reload: phone browsers often discard a background tab (the rep switched to the camera or a
// chat) and reload it when the rep comes back. Newest first, at most `max` ids (scans.list
// takes up to 100), and anything in storage that is not a list of uuids is ignored.
import { useCallback, useEffect, useState } from "react";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function useSessionIds(key: string, max = 100): [string[], (add: string[]) => void] {
  const [ids, setIds] = useState<string[]>([]);
  // Read after hydration: the server renders the empty list, so both sides agree.
  useEffect(() => {
    try {
      const stored: unknown = JSON.parse(sessionStorage.getItem(key) ?? "[]");
      if (Array.isArray(stored)) setIds(stored.filter((v): v is string => typeof v === "string" && UUID.test(v)).slice(0, max));
    } catch {
      // Unreadable or unavailable storage: start empty.
    }
  }, [key, max]);
  const add = useCallback(
    (added: string[]) =>
      setIds((prev) => {
        const next = [...new Set([...added, ...prev])].slice(0, max);
        try {
          sessionStorage.setItem(key, JSON.stringify(next));
        } catch {
          // Private mode or full storage: the list still works until the page is left.
        }
        return next;
      }),
    [key, max],
  );
  return [ids, add];
}
