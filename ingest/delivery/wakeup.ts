/**
 * A loop's wake-up signal: `wait(ms)` sleeps until `wake()` or the timeout, whichever comes first.
 * A wake with nobody waiting is remembered, so a wake between a check and the wait is not lost.
 */
export class Wakeup {
  #pending = false;
  #resolve: (() => void) | undefined;

  wake(): void {
    const resolve = this.#resolve;
    if (resolve) {
      this.#resolve = undefined;
      resolve();
    } else {
      this.#pending = true;
    }
  }

  wait(timeoutMs = Number.POSITIVE_INFINITY): Promise<void> {
    if (this.#pending) {
      this.#pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = Number.isFinite(timeoutMs) ? setTimeout(() => done(), Math.max(0, timeoutMs)) : undefined;
      const done = () => {
        if (timer !== undefined) clearTimeout(timer);
        if (this.#resolve === done) this.#resolve = undefined;
        resolve();
      };
      this.#resolve = done;
    });
  }
}
