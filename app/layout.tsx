import type { Metadata, Viewport } from "next";
import "./globals.css";
import { HydrationMarker } from "./_components/hydration-marker";

export const metadata: Metadata = {
  title: { default: "Sales Agent", template: "%s · Sales Agent" },
  description: "Business-card capture and email campaigns for sales teams",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        {children}
        <HydrationMarker />
      </body>
    </html>
  );
}
