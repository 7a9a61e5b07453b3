/** The time source, in Unix seconds (Drupal's REQUEST_TIME). Tests pass their own. */
export interface Clock { now(): number }
export const systemClock: Clock = { now: () => Math.floor(Date.now() / 1000) };
