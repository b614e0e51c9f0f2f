// A batch job's resource request as form fields (all text) and as the API's object.

export const RESOURCE_KEYS = [
  "partition",
  "account",
  "cpus_per_task",
  "memory_mb",
  "gpus",
  "nodes",
] as const;
export type ResourceKey = (typeof RESOURCE_KEYS)[number];
export type ResourceValues = Record<ResourceKey, string>;

const TEXT: ReadonlySet<ResourceKey> = new Set(["partition", "account"]);

export const NO_RESOURCES: ResourceValues = {
  partition: "",
  account: "",
  cpus_per_task: "",
  memory_mb: "",
  gpus: "",
  nodes: "",
};

/** Blank fields are left out (the server's defaults apply); numbers are sent as numbers. */
export function resourcesBody(values: ResourceValues): Record<string, string | number> {
  const body: Record<string, string | number> = {};
  for (const key of RESOURCE_KEYS) {
    const value = values[key].trim();
    if (value === "") continue;
    body[key] = TEXT.has(key) || !/^\d+$/.test(value) ? value : Number(value);
  }
  return body;
}

export function resourcesValues(resources: unknown): ResourceValues {
  const values = { ...NO_RESOURCES };
  if (resources && typeof resources === "object") {
    for (const key of RESOURCE_KEYS) {
      const value = (resources as Record<string, unknown>)[key];
      if (value !== undefined && value !== null) values[key] = String(value);
    }
  }
  return values;
}
