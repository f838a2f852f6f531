declare module "degit" {
  interface Emitter {
    clone(dest: string): Promise<void>;
    on(event: "info" | "warn", cb: (info: { code: string; message: string }) => void): void;
  }
  export default function degit(src: string, opts?: { cache?: boolean; force?: boolean; verbose?: boolean; mode?: "tar" | "git" }): Emitter;
}
