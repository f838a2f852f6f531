export interface Quote {
  id: number;
  text: string;
}

export const QUOTES: Quote[] = [
  { id: 1, text: "Simplicity is prerequisite for reliability." },
  { id: 2, text: "Make it work, make it right, make it fast." },
];

export function quoteById(id: number): Quote | undefined {
  return QUOTES.find((q) => q.id === id);
}
