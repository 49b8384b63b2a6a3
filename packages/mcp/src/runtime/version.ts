/**
 * The version of an image reference is its tag: `r/img:v1.2.0` → `v1.2.0`, `img:latest` → `latest`,
 * no tag → ``. A registry port (`host:5000/img`) is not a tag; a digest (`@sha256:…`) is ignored.
 */
export function imageVersion(image: string): string {
  const withoutDigest = image.split('@', 1)[0] ?? '';
  const lastSegment = withoutDigest.slice(withoutDigest.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  return colon === -1 ? '' : lastSegment.slice(colon + 1);
}

/** Whether an image was built on this node (`localhost/…`), which no registry serves. */
export function isLocalImage(image: string): boolean {
  return image.startsWith('localhost/');
}
