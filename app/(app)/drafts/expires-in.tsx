"use client";
import { useEffect, useState } from "react";

export function formatRemaining(ms: number): string {
  if (ms <= 0) return "expired";
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes} min left`;
  const hours = Math.floor(minutes / 60);
  return `${hours} h ${minutes % 60} min left`;
}

/** A countdown that re-renders every 30 s. */
export function ExpiresIn({ at }: { at: Date }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(t);
  }, []);
  const ms = new Date(at).getTime() - now;
  return <span className={`badge ${ms < 3 * 3600_000 ? "bg-amber-100 text-amber-800" : "bg-slate-100 text-slate-700"}`} data-testid="expires-in">{formatRemaining(ms)}</span>;
}
