import { createHash } from "node:crypto";

export const hashContent = (content: string): string => `sha256-${createHash("sha256").update(content).digest("hex").slice(0, 32)}`;
