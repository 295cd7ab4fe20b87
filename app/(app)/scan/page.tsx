import type { Metadata } from "next";
import { ScanCapture } from "./scan-capture";

export const metadata: Metadata = { title: "Scan cards" };

export default function ScanPage() {
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Scan business cards</h1>
        <p className="text-sm text-slate-600">Photos are read on this server; they never leave it. Up to 50 cards at a time.</p>
      </div>
      <ScanCapture />
    </div>
  );
}
