import type { Job } from "../../../api/client";

/** One input of the job being written: an upload (maybe still sending) or a result. */
export interface DraftInput {
  key: string;
  label: string;
  path: string;
  size: number;
  file?: string;
  result?: number;
  progress?: number;
  error?: string;
}

let counter = 0;
export const nextKey = () => `input-${++counter}`;

/** The inputs of an earlier job, for "Edit and rerun". */
export function draftsFromJob(job: Job): DraftInput[] {
  return (job.inputs ?? []).map((i) => ({
    key: nextKey(),
    label: i.path,
    path: i.path,
    size: i.size,
    ...(i.file ? { file: i.file } : {}),
    ...(i.result != null ? { result: i.result } : {}),
  }));
}
