import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { Link, useNavigate, useSearchParams } from "react-router";
import { $api } from "../../api/client";
import { Field } from "../../components/Field";
import { FormErrors, FormFooter } from "../../components/FormFooter";
import { applyApiErrors } from "../../lib/forms";
import { useFillOnce } from "../../lib/useFillOnce";
import { NotifyEmailOption } from "../notifications/NotifyEmailOption";
import { InputsPicker } from "./InputsPicker";
import { type DraftInput, draftsFromJob } from "./inputs/draftInput";
import { JobTargetFields } from "./new/JobTargetFields";
import { EMPTY, FIELDS, fromJob, type JobForm, jobBody } from "./new/jobForm";
import { ProgramFields, RunOptionsFields } from "./new/ProgramFields";
import { useJobTarget } from "./new/useJobTarget";
import { jobInvalidation, jobQueries } from "./queries";
import { ResourcesFields } from "./ResourcesFields";

export function NewJobPage() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [params] = useSearchParams();
  const fromId = params.get("from");
  const source = useQuery({ ...jobQueries.detail(fromId ?? ""), enabled: Boolean(fromId) });
  const [general, setGeneral] = useState<string[]>([]);
  const [inputs, setInputs] = useState<DraftInput[]>([]);
  const uploading = inputs.some((i) => !i.error && !i.file && i.result === undefined);
  const [notifyEmail, setNotifyEmail] = useState<boolean | null>(null);

  const form = useForm<JobForm>({ defaultValues: EMPTY });
  const { register, handleSubmit, setError, reset, formState } = form;
  // The API's error on the whole resources object belongs to no input: cleared by hand
  // before each submit, or it would block the next one.
  const clearResourcesError = () => form.clearErrors("resources");
  const errors = formState.errors;
  const target = useJobTarget(form);
  const { batch, selectedServer } = target;

  // The form renders once its choices have loaded, so its selects can hold their values;
  // for "Edit and rerun" it is then filled from the earlier job, once.
  const ready = target.loaded && (!fromId || Boolean(source.data));
  useFillOnce(
    source.data,
    (job) => {
      reset(fromJob(job));
      setInputs(draftsFromJob(job));
    },
    ready,
  );

  const create = $api.useMutation("post", "/api/jobs/", {
    onSuccess: (job) => {
      void jobInvalidation.lists(queryClient);
      navigate(`/jobs/${job.id}`);
    },
    onError: (error) => setGeneral(applyApiErrors(error, FIELDS, setError)),
  });

  const submit = handleSubmit((v) => {
    setGeneral([]);
    const failed = inputs.find((i) => i.error);
    if (failed) {
      setGeneral([`The upload of ${failed.label} failed: remove it or add it again.`]);
      return;
    }
    const rerunOf = fromId && source.data ? source.data.id : undefined;
    create.mutate({ body: jobBody(v, { batch, inputs, notifyEmail, rerunOf }) });
  });

  return (
    <section className="page">
      <div className="page-head">
        <h1>{fromId ? "Edit and rerun" : "New job"}</h1>
      </div>
      {fromId && source.data && (
        <p className="muted">
          Filled from <Link to={`/jobs/${fromId}`}>{source.data.title || fromId.slice(0, 8)}</Link>:
          change anything, then submit a new job.
        </p>
      )}
      {!ready &&
        (source.error ? (
          <p className="error-banner">The job to copy could not be loaded.</p>
        ) : (
          <p className="muted">Loading…</p>
        ))}
      {ready && (
        <form
          className="form card job-form"
          onSubmit={(e) => {
            clearResourcesError();
            void submit(e);
          }}
          noValidate
          aria-label="New job"
        >
          <FormErrors messages={general} fixHint />
          <Field label="Title" error={errors.title?.message}>
            {(p) => <input {...p} {...register("title")} />}
          </Field>
          <JobTargetFields form={form} target={target} />
          <ProgramFields form={form} />
          <RunOptionsFields form={form} />
          {batch && (
            <ResourcesFields
              field={(key) => register(`resources.${key}`)}
              error={errors.resources?.message}
              hint={`${selectedServer?.name} runs jobs through ${selectedServer?.scheduler}: blank fields take the server's defaults; the timeout is the walltime.`}
            />
          )}
          <InputsPicker value={inputs} onChange={setInputs} />
          <NotifyEmailOption value={notifyEmail} onChange={setNotifyEmail} />
          <FormFooter
            submit={create.isPending ? "Submitting…" : uploading ? "Uploading…" : "Submit job"}
            disabled={create.isPending || uploading}
            cancelTo="/jobs"
          />
        </form>
      )}
    </section>
  );
}
