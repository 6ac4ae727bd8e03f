/**
 * Chrome match patterns (https://developer.chrome.com/docs/extensions/develop/concepts/match-patterns)
 * for the config keys `crmMatches` and `detectionRules[].matches`. As in Chrome, a pattern without
 * a port matches every port.
 */
const PATTERN =
  /^(\*|https?|wss?|file|ftp|urn|chrome-extension):\/\/(\*|\*\.[^/*:]+|[^/*:]+)?(?::(\d+))?(\/.*)$/;

export interface MatchPattern {
  readonly source: string;
  test(url: string): boolean;
}

export function parseMatchPattern(source: string): MatchPattern | Error {
  if (source === '<all_urls>') {
    return { source, test: (url) => /^(https?|wss?|file|ftp):/.test(url) };
  }
  const m = PATTERN.exec(source);
  if (!m) return new Error(`"${source}" is not a match pattern like https://*.example.com/*`);
  const [, scheme = '', host = '', port, path = '/'] = m;
  // As in Chrome: only file: URLs may leave the host out; otherwise `https:///*` matches all.
  if (host === '' && scheme !== 'file') return new Error(`"${source}" has no host`);
  const pathRe = new RegExp(`^${path.split('*').map(escapeRegExp).join('.*')}$`);
  return {
    source,
    test(url: string): boolean {
      let u: URL;
      try {
        u = new URL(url);
      } catch {
        return false;
      }
      const urlScheme = u.protocol.slice(0, -1);
      if (scheme === '*' ? urlScheme !== 'http' && urlScheme !== 'https' : urlScheme !== scheme)
        return false;
      if (host !== '*' && host !== '') {
        if (host.startsWith('*.')) {
          const base = host.slice(2);
          if (u.hostname !== base && !u.hostname.endsWith(`.${base}`)) return false;
        } else if (u.hostname !== host) return false;
      }
      if (port !== undefined && u.port !== port) return false;
      return pathRe.test(u.pathname + u.search);
    },
  };
}

/** True when `url` matches any of `patterns`; invalid patterns never match. */
export function matchesAny(url: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => {
    const pattern = parseMatchPattern(p);
    return !(pattern instanceof Error) && pattern.test(url);
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * True when every URL `inner` matches is matched by `outer` too (conservative: false when unsure),
 * e.g. `https://*.dynamics.com/*` covers `https://contoso.crm4.dynamics.com/main.aspx*`, and
 * `http://127.0.0.1/*` covers `http://127.0.0.1:8080/crm*` (no port: every port).
 */
export function patternCovers(outer: string, inner: string): boolean {
  if (outer === inner || outer === '<all_urls>') return true;
  const o = PATTERN.exec(outer);
  const i = PATTERN.exec(inner);
  if (!o || !i) return false;
  const [, oScheme, oHost = '', oPort, oPath] = o;
  const [, iScheme, iHost = '', iPort, iPath] = i;
  const schemeOk =
    oScheme === iScheme || (oScheme === '*' && (iScheme === 'http' || iScheme === 'https'));
  if (!schemeOk) return false;
  let hostOk = oHost === '*' || oHost === iHost;
  if (!hostOk && oHost.startsWith('*.')) {
    const base = oHost.slice(2);
    const innerBase = iHost.startsWith('*.') ? iHost.slice(2) : iHost;
    hostOk = innerBase === base || innerBase.endsWith(`.${base}`);
  }
  if (!hostOk) return false;
  if (oPort !== undefined && oPort !== iPort) return false;
  return oPath === '/*' || oPath === iPath;
}
