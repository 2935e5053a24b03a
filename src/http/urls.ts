/** An absolute URL for `path`, on PUBLIC_URL when set (behind a proxy) or else on the request's origin. */
export function absoluteUrl(requestUrl: string, publicUrl: string | undefined, path: string): string {
  if (publicUrl) return publicUrl.replace(/\/$/, '') + path;
  return new URL(path, requestUrl).toString();
}
