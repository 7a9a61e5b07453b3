import type { FloodRepository } from '../ports.js';
import type { SiteSettings } from '../settings/site-settings.js';

export const FLOOD_IP_EVENT = 'failed_login_attempt_ip';
export const FLOOD_USER_EVENT = 'failed_login_attempt_user';
export const FLOOD_RESET_IP_EVENT = 'pass_reset_ip';
export const FLOOD_RESET_USER_EVENT = 'pass_reset_user';

/** Each flood event's limit and window: Drupal's variable names and their defaults. */
const LIMITS: Record<string, { limit: [string, number]; window: [string, number] }> = {
  [FLOOD_IP_EVENT]: { limit: ['user_failed_login_ip_limit', 50], window: ['user_failed_login_ip_window', 3600] },
  [FLOOD_USER_EVENT]: { limit: ['user_failed_login_user_limit', 5], window: ['user_failed_login_user_window', 21600] },
  [FLOOD_RESET_IP_EVENT]: { limit: ['user_pass_reset_ip_limit', 50], window: ['user_pass_reset_ip_window', 3600] },
  [FLOOD_RESET_USER_EVENT]: { limit: ['user_pass_reset_user_limit', 5], window: ['user_pass_reset_user_window', 21600] },
};

/** Drupal's flood_is_allowed / flood_register_event / flood_clear_event over the shared flood table. */
export class FloodControl {
  constructor(private readonly repo: FloodRepository, private readonly settings: SiteSettings, private readonly now: number) {}

  private limits(event: string): { threshold: number; window: number } {
    const spec = LIMITS[event];
    if (!spec) throw new Error(`unknown flood event ${event}`);
    return { threshold: this.settings.int(...spec.limit), window: this.settings.int(...spec.window) };
  }

  async isAllowed(event: string, identifier: string): Promise<boolean> {
    const { threshold, window } = this.limits(event);
    return (await this.repo.count(event, identifier, this.now - window)) < threshold;
  }

  /**
   * flood_register_event, bounded: only the newest `limit` rows per identifier are kept. isAllowed asks
   * whether fewer than `limit` rows fall in the window, which the newest `limit` rows answer exactly as all of
   * them would — so the table stops growing once a client is blocked, and the answers stay Drupal's.
   */
  async register(event: string, identifier: string): Promise<void> {
    const { threshold, window } = this.limits(event);
    await this.repo.register(event, identifier, this.now, window, Math.max(1, threshold));
  }

  async clear(event: string, identifier: string): Promise<void> {
    await this.repo.clear(event, identifier);
  }
}
