/** A minimal browser for the page tests: a cookie jar, GET, and form posts that carry the page's form token. */
export interface PageAnswer { status: number; location: string | null; text: string }

export class PageClient {
  readonly cookies = new Map<string, string>();

  constructor(readonly base: string, private readonly userAgent = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0') {}

  private remember(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === 'deleted' || /Max-Age=0/i.test(line)) this.cookies.delete(name); else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async get(path: string): Promise<PageAnswer> {
    const res = await fetch(this.base + path, { headers: { cookie: this.header(), 'user-agent': this.userAgent }, redirect: 'manual' });
    this.remember(res);
    return { status: res.status, location: res.headers.get('location'), text: await res.text() };
  }

  async post(path: string, fields: Record<string, string | string[]>): Promise<PageAnswer> {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    const res = await fetch(this.base + path, {
      method: 'POST', body: body.toString(), redirect: 'manual',
      headers: { cookie: this.header(), 'user-agent': this.userAgent, 'content-type': 'application/x-www-form-urlencoded' },
    });
    this.remember(res);
    return { status: res.status, location: res.headers.get('location'), text: await res.text() };
  }

  /** Posts a multipart form, as a browser does for a form with a file input: `files` by input name. */
  async postMultipart(path: string, fields: Record<string, string>, files: Record<string, { name: string; type: string; bytes: Buffer }>): Promise<PageAnswer> {
    const body = new FormData();
    for (const [k, v] of Object.entries(fields)) body.append(k, v);
    for (const [k, f] of Object.entries(files)) body.append(k, new Blob([new Uint8Array(f.bytes)], { type: f.type }), f.name);
    const res = await fetch(this.base + path, { method: 'POST', body, redirect: 'manual', headers: { cookie: this.header(), 'user-agent': this.userAgent } });
    this.remember(res);
    return { status: res.status, location: res.headers.get('location'), text: await res.text() };
  }

  /** Opens `path`, takes the token of the form with id `formId`, posts `fields` to it (as a person submitting it). */
  async submit(path: string, formId: string, fields: Record<string, string | string[]>): Promise<PageAnswer> {
    const page = await this.get(path);
    const token = formToken(page.text, formId);
    const action = new RegExp(`<form method="post" action="([^"]*)" id="${formId}"`).exec(page.text)?.[1] ?? path;
    return this.post(action.replace(/&amp;/g, '&'), { ...fields, form_token: token });
  }
}

/** The form_token of the form with id `formId` on a page. */
export function formToken(html: string, formId: string): string {
  const at = html.indexOf(`id="${formId}"`);
  if (at < 0) throw new Error(`no form ${formId} on the page:\n${html.slice(0, 2000)}`);
  const m = /name="form_token" value="([^"]+)"/.exec(html.slice(at));
  if (!m) throw new Error(`form ${formId} has no token`);
  return m[1];
}
