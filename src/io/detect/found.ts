/** What one language reader found; `detect()` turns it into the public keys. */
export interface Found {
  name?: string | undefined;
  languageVersion?: string | undefined;
  lintCommand?: string | undefined;
  testCommand?: string | undefined;
  startCommand?: string | undefined;
  port?: number | undefined;
  healthPath?: string | undefined;
  /** Files to scan for a port and a health route, in order. */
  sources: string[];
}
