// A wide table's sideways-scrolling box. On a phone it scrolls, and a box that scrolls must be
// reachable by keyboard (WCAG 2.1.1; axe "scrollable-region-focusable"): it takes focus and
// carries a name, so a screen reader announces what the region holds.
export function ScrollX({ label, className = "", children }: { label: string; className?: string; children: React.ReactNode }) {
  return (
    <div className={`overflow-x-auto ${className}`} tabIndex={0} role="region" aria-label={label}>
      {children}
    </div>
  );
}
