import type { Metadata } from "next";
import { requireActor } from "@/app/_lib/session";
import { TelegramLinkCard } from "./telegram-link";

export const metadata: Metadata = { title: "Profile" };

export default async function ProfilePage() {
  const actor = await requireActor();
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Profile</h1>
        <p className="text-sm text-slate-600">{actor.name} · {actor.email} · {actor.role === "ADMIN" ? "Admin" : "Rep"}</p>
      </div>
      <TelegramLinkCard />
    </div>
  );
}
