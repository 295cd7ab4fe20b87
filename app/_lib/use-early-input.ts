"use client";
// Text typed or pasted into a server-rendered box before the page's script has run is in the
// DOM but not in React's state, and hydration then wipes it (a rep on a slow connection who
// starts typing at once). This takes up whatever the box holds once hydrated. Returns the
// ref to put on the box.
import { useEffect, useRef } from "react";

export function useEarlyInput<T extends HTMLInputElement | HTMLTextAreaElement>(setValue: (value: string) => void) {
  const box = useRef<T>(null);
  useEffect(() => {
    const typed = box.current?.value;
    if (typed) setValue(typed);
    // Once, on hydration: afterwards React owns the value.
  }, []);
  return box;
}
