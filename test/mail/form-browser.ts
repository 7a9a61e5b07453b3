// What a browser does with the reset page, without the rendering: a cookie jar, GET, and form posts.
import { CookieJar } from 'tough-cookie';

export interface PageAnswer { status: number; html: string; setCookies: string[] }

export class FormBrowser {
  readonly jar = new CookieJar();

  async get(url: string): Promise<PageAnswer> {
    return this.send(url, { method: 'GET' });
  }

  /** Posts `fields` as application/x-www-form-urlencoded, as an HTML form does. */
  async post(url: string, fields: Record<string, string>): Promise<PageAnswer> {
    return this.send(url, { method: 'POST', body: new URLSearchParams(fields).toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  }

  async cookie(url: string, name: RegExp): Promise<string | undefined> {
    return (await this.jar.getCookies(url)).find((c) => name.test(c.key))?.cookieString();
  }

  private async send(url: string, init: { method: string; body?: string; headers?: Record<string, string> }): Promise<PageAnswer> {
    const cookie = await this.jar.getCookieString(url);
    const r = await fetch(url, { ...init, headers: { ...(init.headers ?? {}), ...(cookie ? { Cookie: cookie } : {}) }, redirect: 'manual' });
    const setCookies = r.headers.getSetCookie();
    for (const c of setCookies) await this.jar.setCookie(c, url, { ignoreError: true });
    return { status: r.status, html: await r.text(), setCookies };
  }
}

/** The hidden form token of a rendered reset form. */
export function formTokenIn(html: string): string {
  const m = /name="form_token" value="([^"]+)"/.exec(html);
  if (!m) throw new Error(`no form token in:\n${html}`);
  return m[1];
}
