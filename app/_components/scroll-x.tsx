// A wide table's sideways-scrolling box. On a phone it scrolls, and a box that scrolls must be
// reachable by keyboard (WCAG 2.1.1; axe "scrollable-region-focusable"): it takes focus and
// carries a name, so a screen reader announces what the region holds.
// `relative`: an absolutely positioned child (an sr-only table header, "Actions") is placed
// against this box and clipped by its overflow; without it the child escapes to the page and
// widens it, so a 390 px phone scrolled the whole /admin page sideways.
export function ScrollX({ label, className = "", children }: { label: string; className?: string; children: React.ReactNode }) {
  return (
    <div className={`relative overflow-x-auto ${className}`} tabIndex={0} role="region" aria-label={label}>
      {children}
    </div>
  );
}
