import type { Job, Schemas } from "../../../api/client";
import { parseEnvironment, parseLines } from "../../../lib/format";
import type { DraftInput } from "../inputs/draftInput";
import { NO_RESOURCES, type ResourceValues, resourcesBody, resourcesValues } from "../resources";

type LogPolicy = Schemas["LogPolicyEnum"];

/** The new-job form's values, as the inputs hold them (text), before they become a body. */
export interface JobForm {
  title: string;
  server: string;
  credential: string;
  interpreter: string;
  program: string;
  arguments: string;
  environment: string;
  timeout_seconds: string;
  log_policy: LogPolicy;
  result_patterns: string;
  resources: ResourceValues;
}

/** The fields the API may name in its errors, shown next to their inputs. */
export const FIELDS = [
  "title",
  "server",
  "credential",
  "interpreter",
  "program",
  "arguments",
  "environment",
  "timeout_seconds",
  "log_policy",
  "result_patterns",
  "resources",
] as const;

const EXAMPLE = `import time

for i in range(1, 11):
    print(f"step {i}/10", flush=True)
    time.sleep(0.5)

with open("result.txt", "w") as f:
    f.write("done\\n")
`;

export const EMPTY: JobForm = {
  title: "",
  server: "",
  credential: "",
  interpreter: "",
  program: EXAMPLE,
  arguments: "",
  environment: "",
  timeout_seconds: "",
  log_policy: "live",
  result_patterns: "*.txt",
  resources: NO_RESOURCES,
};

/** The form filled from an earlier job ("Edit and rerun"). */
export function fromJob(job: Job): JobForm {
  return {
    title: job.title,
    server: String(job.server),
    credential: job.credential != null ? String(job.credential) : "",
    interpreter: String(job.interpreter),
    program: job.program,
    arguments: ((job.arguments as string[] | undefined) ?? []).join("\n"),
    environment: Object.entries(job.environment ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join("\n"),
    timeout_seconds: job.timeout_seconds != null ? String(job.timeout_seconds) : "",
    log_policy: job.log_policy,
    result_patterns: ((job.result_patterns as string[] | undefined) ?? []).join("\n"),
    resources: resourcesValues(job.resources),
  };
}

/** The POST /api/jobs/ body of the form's values. */
export function jobBody(
  v: JobForm,
  extra: {
    batch: boolean;
    inputs: DraftInput[];
    notifyEmail: boolean | null;
    rerunOf: string | undefined;
  },
) {
  return {
    title: v.title,
    server: Number(v.server),
    credential: Number(v.credential),
    interpreter: Number(v.interpreter),
    program: v.program,
    arguments: parseLines(v.arguments),
    environment: parseEnvironment(v.environment).value,
    timeout_seconds: v.timeout_seconds.trim() === "" ? null : Number(v.timeout_seconds),
    log_policy: v.log_policy,
    result_patterns: parseLines(v.result_patterns),
    ...(extra.batch ? { resources: resourcesBody(v.resources) } : {}),
    inputs: extra.inputs.map((i) =>
      i.result !== undefined ? { result: i.result, path: i.path } : { file: i.file, path: i.path },
    ),
    ...(extra.notifyEmail != null ? { notify_email: extra.notifyEmail } : {}),
    ...(extra.rerunOf ? { rerun_of: extra.rerunOf } : {}),
  };
}
