import { describe, expect, it } from "vitest";
import { NO_RESOURCES, resourcesBody, resourcesValues } from "./resources";

describe("resources", () => {
  it("sends numbers as numbers and leaves blanks out", () => {
    expect(
      resourcesBody({ ...NO_RESOURCES, partition: " gpu ", cpus_per_task: "4", memory_mb: "" }),
    ).toEqual({ partition: "gpu", cpus_per_task: 4 });
  });
  it("sends what is not a whole number as typed, for the API to refuse by name", () => {
    expect(resourcesBody({ ...NO_RESOURCES, nodes: "two" })).toEqual({ nodes: "two" });
  });
  it("fills the form from a job's resources", () => {
    expect(resourcesValues({ gpus: 1, partition: "debug" })).toEqual({
      ...NO_RESOURCES,
      gpus: "1",
      partition: "debug",
    });
    expect(resourcesValues(null)).toEqual(NO_RESOURCES);
  });
});
