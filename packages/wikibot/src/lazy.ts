/**
 * A value made on first use and shared after: `load` runs once (again only if it failed). Heavy
 * modules are loaded through these with a dynamic `import()`, so a process pays for the parts of the
 * program it uses, when it first uses them.
 */
export function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    value ??= load().catch((error: unknown) => {
      value = undefined;
      throw error;
    });
    return value;
  };
}
