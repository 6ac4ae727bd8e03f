/**
 * What an address the extension sends to (or opens) must be: https, or plain http on loopback
 * only (the demo and the tests run there).
 */
export function isSecureOrLoopback(url: URL): boolean {
  if (url.protocol === 'https:') return true;
  const host = url.hostname;
  const loopback = host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
  return url.protocol === 'http:' && loopback;
}
