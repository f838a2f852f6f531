import { formatPrice } from "@/lib/price";

export default function Home() {
  return (
    <main>
      <h1>Storefront</h1>
      <p>Today from {formatPrice(1999)}</p>
    </main>
  );
}
