/** DATABASE_PATH values that name no file: an in-memory database (tests, one-off runs). */
export function isMemoryPath(path: string): boolean {
  return path === ":memory:" || path.startsWith("file::memory:");
}
