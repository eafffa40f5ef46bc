/** The URL without user, password or query, fit for logs and pages. */
export function displayUrl(apiUrl: string): string {
  const u = new URL(apiUrl);
  return `${u.protocol}//${u.host}${u.pathname.replace(/\/$/, "")}`;
}
