// Liveness for the platform: answers without touching the catalogue backend.
export const dynamic = "force-dynamic";

export async function GET() {
  return Response.json({ status: "ok", uptime: Math.round(process.uptime()) });
}
