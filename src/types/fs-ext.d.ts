declare module "fs-ext" {
  export function flockSync(fd: number, flags: "sh" | "ex" | "shnb" | "exnb" | "un"): void;
  export function flock(fd: number, flags: "sh" | "ex" | "shnb" | "exnb" | "un", cb: (err: NodeJS.ErrnoException | null) => void): void;
  const fsExt: { flockSync: typeof flockSync; flock: typeof flock };
  export default fsExt;
}
