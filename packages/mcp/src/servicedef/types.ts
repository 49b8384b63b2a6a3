/** One container of a service, as declared in a service definition. */
export interface ComponentDef {
  name: string;
  image: string;
  network: string;
  user: string;
  restart: string;
  ports: string[];
  volumes: string[];
  cmd: string[];
  /** KEY=VALUE pairs, in order. */
  env: string[];
}

/** A service definition: `<services dir>/<name>.toml`. */
export interface ServiceDef {
  name: string;
  node: string;
  active: boolean;
  components: ComponentDef[];
}

export type DesiredState = 'running' | 'stopped' | 'ignore';

/** A component with every optional field empty. */
export function componentDef(name: string, image: string, rest: Partial<ComponentDef> = {}): ComponentDef {
  return {
    name,
    image,
    network: '',
    user: '',
    restart: '',
    ports: [],
    volumes: [],
    cmd: [],
    env: [],
    ...rest,
  };
}

/** Whether two component definitions would create the same container. */
export function sameComponentDef(a: ComponentDef, b: ComponentDef): boolean {
  const sameList = (x: string[], y: string[]): boolean =>
    x.length === y.length && x.every((item, i) => item === y[i]);
  return (
    a.name === b.name &&
    a.image === b.image &&
    a.network === b.network &&
    a.user === b.user &&
    a.restart === b.restart &&
    sameList(a.ports, b.ports) &&
    sameList(a.volumes, b.volumes) &&
    sameList(a.cmd, b.cmd) &&
    sameList(a.env, b.env)
  );
}
