/** A short description of a browser from its User-Agent ("Firefox 128 on Linux"), or the raw value cut short. */
export function describeBrowser(userAgent: string): string {
  if (userAgent === '') return 'Unknown';
  const browsers: Array<[RegExp, string]> = [
    [/Edg(?:e|A|iOS)?\/(\d+)/, 'Edge'], [/OPR\/(\d+)/, 'Opera'], [/Firefox\/(\d+)/, 'Firefox'], [/HeadlessChrome\/(\d+)/, 'Headless Chrome'],
    [/Chrome\/(\d+)/, 'Chrome'], [/Version\/(\d+)[\d.]* .*Safari\//, 'Safari'], [/curl\/(\d+)/, 'curl'], [/okhttp\/(\d+)/, 'OkHttp'],
  ];
  const systems: Array<[RegExp, string]> = [
    [/Android/, 'Android'], [/iPhone|iPad|iOS/, 'iOS'], [/Windows/, 'Windows'], [/Mac OS X|Macintosh/, 'macOS'], [/CrOS/, 'ChromeOS'], [/Linux/, 'Linux'],
  ];
  const browser = browsers.map(([re, name]) => { const m = re.exec(userAgent); return m ? `${name} ${m[1]}` : null; }).find((x) => x !== null);
  const system = systems.find(([re]) => re.test(userAgent))?.[1];
  if (!browser) return userAgent.length > 60 ? `${userAgent.slice(0, 60)}…` : userAgent;
  return system ? `${browser} on ${system}` : browser;
}
