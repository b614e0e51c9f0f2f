import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { $api } from "../../api/client";
import { Field } from "../../components/Field";
import { FormErrors, FormFooter } from "../../components/FormFooter";
import { applyApiErrors } from "../../lib/forms";
import { browserTimezone, scheduleInvalidation } from "./queries";

interface ScheduleValues {
  name: string;
  cron: string;
  timezone: string;
  overlap: "skip" | "allow";
  job: string;
}

const FIELDS = ["name", "cron", "timezone", "overlap", "job"] as const;

const EXAMPLE_JOB = `{
  "server": 1,
  "credential": 1,
  "interpreter": 1,
  "title": "nightly reduction",
  "program": "print('hello')"
}`;

/** Add a schedule: a cron in a timezone and the job body it submits at each tick. */
export function ScheduleForm({ onDone }: { onDone: () => void }) {
  const queryClient = useQueryClient();
  const [general, setGeneral] = useState<string[]>([]);
  const { register, handleSubmit, setError, formState } = useForm<ScheduleValues>({
    defaultValues: {
      name: "",
      cron: "0 2 * * *",
      timezone: browserTimezone(),
      overlap: "skip",
      job: EXAMPLE_JOB,
    },
  });
  const errors = formState.errors;
  const create = $api.useMutation("post", "/api/schedules/", {
    onSuccess: () => {
      void scheduleInvalidation.list(queryClient);
      onDone();
    },
    onError: (error) => setGeneral(applyApiErrors(error, FIELDS, setError)),
  });
  const submit = handleSubmit((v) => {
    setGeneral([]);
    let job: unknown;
    try {
      job = JSON.parse(v.job);
    } catch {
      setError("job", { type: "parse", message: "Not valid JSON." }, { shouldFocus: true });
      return;
    }
    create.mutate({
      body: { name: v.name, cron: v.cron, timezone: v.timezone, overlap: v.overlap, job },
    });
  });
  return (
    <form className="form" onSubmit={submit} noValidate aria-label="Add schedule">
      <FormErrors messages={general} />
      <div className="grid-3">
        <Field label="Name" error={errors.name?.message}>
          {(p) => <input {...p} {...register("name")} />}
        </Field>
        <Field
          label="Cron"
          error={errors.cron?.message}
          hint="minute hour day month weekday, e.g. 0 2 * * *"
        >
          {(p) => <input {...p} {...register("cron")} className="mono" />}
        </Field>
        <Field label="Timezone" error={errors.timezone?.message} hint="IANA name">
          {(p) => <input {...p} {...register("timezone")} />}
        </Field>
      </div>
      <fieldset className="field">
        <legend>While the previous run's job is still running</legend>
        <div className="checks">
          <label className="check">
            <input type="radio" value="skip" {...register("overlap")} /> Skip this run
          </label>
          <label className="check">
            <input type="radio" value="allow" {...register("overlap")} /> Start another job
          </label>
        </div>
      </fieldset>
      <Field
        label="Job"
        error={errors.job?.message}
        hint="The JSON body POST /api/jobs/ takes; checked now and again at every run."
      >
        {(p) => (
          <textarea {...p} {...register("job")} className="mono" rows={9} spellCheck={false} />
        )}
      </Field>
      <FormFooter submit="Add schedule" disabled={create.isPending} onCancel={onDone} />
    </form>
  );
}
