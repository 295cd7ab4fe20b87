import Link from "next/link";

/** Shown when a signed-in user opens a page their role may not see. */
export function Forbidden() {
  return (
    <div className="card mx-auto max-w-md text-center" data-testid="forbidden">
      <p className="text-sm font-semibold text-rose-600">403</p>
      <h1 className="mt-1 text-xl font-semibold">Admins only</h1>
      <p className="mt-2 text-sm text-slate-600">Your account does not have access to this page.</p>
      <Link href="/" className="btn-secondary mt-4">Back to the dashboard</Link>
    </div>
  );
}
