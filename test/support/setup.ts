// Every test file gets its own trust list (the packs trusted "on this machine"): runs never read
// or change the user's, and files running in parallel never race on one list.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

process.env.CREATE_PIPELINE_CONFIG_DIR = mkdtempSync(join(tmpdir(), "cp-trust-"));
// The compiled templates the CLI keeps between runs go to a folder of the test run, not the user's.
process.env.CREATE_PIPELINE_CACHE_DIR ??= mkdtempSync(join(tmpdir(), "cp-cache-"));
