import { ApiError } from '../util/errors';

/** A fixed-window counter per key (client address), in memory; enough for one login endpoint. */
export class RateLimiter {
  private windowStart = Date.now();
  private counts = new Map<string, number>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  hit(key: string): void {
    const now = Date.now();
    if (now - this.windowStart > this.windowMs) {
      this.windowStart = now;
      this.counts = new Map();
    }
    const n = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, n);
    if (n > this.limit) {
      const wait = Math.ceil((this.windowStart + this.windowMs - now) / 1000);
      throw new ApiError(429, 'TooManyRequests', `too many sign-in attempts from this address; wait ${wait} s`);
    }
  }
}
