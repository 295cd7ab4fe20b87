// A promise that settles as `p` does, or rejects with `onTimeout()` after `ms`. The timer is
// cleared when `p` settles first and never keeps the process alive.
export function withTimeout<T>(p: Promise<T>, ms: number, onTimeout: () => Error = () => new Error("timeout")): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
    timer.unref();
  });
  return Promise.race([p, expired]).finally(() => clearTimeout(timer));
}
