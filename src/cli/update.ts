export async function runUpdate(..._a: unknown[]): Promise<number> { throw new Error("not yet"); }
