import type { FloodRepository } from '../ports.js';
import type { SiteSettings } from '../settings/site-settings.js';

export const FLOOD_IP_EVENT = 'failed_login_attempt_ip';
export const FLOOD_USER_EVENT = 'failed_login_attempt_user';

/** Drupal's flood_is_allowed / flood_register_event / flood_clear_event over the shared flood table. */
export class FloodControl {
  constructor(private readonly repo: FloodRepository, private readonly settings: SiteSettings, private readonly now: number) {}

  private limits(event: string): { threshold: number; window: number } {
    return event === FLOOD_IP_EVENT
      ? { threshold: this.settings.int('user_failed_login_ip_limit', 50), window: this.settings.int('user_failed_login_ip_window', 3600) }
      : { threshold: this.settings.int('user_failed_login_user_limit', 5), window: this.settings.int('user_failed_login_user_window', 21600) };
  }

  async isAllowed(event: string, identifier: string): Promise<boolean> {
    const { threshold, window } = this.limits(event);
    return (await this.repo.count(event, identifier, this.now - window)) < threshold;
  }

  async register(event: string, identifier: string): Promise<void> {
    await this.repo.register(event, identifier, this.now, this.limits(event).window);
  }

  async clear(event: string, identifier: string): Promise<void> {
    await this.repo.clear(event, identifier);
  }
}
