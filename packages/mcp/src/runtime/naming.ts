/** The container of a component: `<service>-<component>`, or `<service>` when the names match. */
export function containerName(service: string, component: string): string {
  return component === service ? service : `${service}-${component}`;
}

/** The component a container of `service` stands for, or undefined when it is not the service's. */
export function componentOf(service: string, container: string): string | undefined {
  if (container === service) return service;
  if (container.startsWith(`${service}-`) && container.length > service.length + 1) {
    return container.slice(service.length + 1);
  }
  return undefined;
}

export interface ContainerOwner {
  service: string;
  component: string;
}

/**
 * Splits a container name into service and component. Known services win, longest first, so that
 * `mc-proxy` stays the service `mc-proxy` and `mc-proxy-web` is its component `web`. An unknown name is
 * split at its first `-`; a name without one is a single-component service.
 */
export function splitContainerName(name: string, knownServices: Iterable<string> = []): ContainerOwner {
  const longestFirst = [...knownServices].sort((a, b) => b.length - a.length);
  for (const service of longestFirst) {
    const component = componentOf(service, name);
    if (component !== undefined) return { service, component };
  }
  const dash = name.indexOf('-');
  if (dash <= 0 || dash === name.length - 1) return { service: name, component: name };
  return { service: name.slice(0, dash), component: name.slice(dash + 1) };
}
