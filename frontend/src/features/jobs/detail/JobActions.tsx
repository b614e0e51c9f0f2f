import { useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { Link, useNavigate } from "react-router";
import { $api, type Job } from "../../../api/client";
import { errorMessage } from "../../../api/errors";
import { jobInvalidation, jobQueries } from "../queries";

/**
 * Rerun, Edit and rerun, Cancel: always the same three buttons in the same places, enabled
 * or not by the job's state, so no action ever puts another button under the pointer (a
 * double click on Cancel once landed on the Rerun that replaced it). Cancel asks first.
 */
export function JobActions({
  job,
  finished,
  onError,
}: {
  job: Job;
  finished: boolean;
  onError: (message: string | null) => void;
}) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const dialog = useRef<HTMLDialogElement>(null);
  const [asking, setAsking] = useState(false);

  const cancel = $api.useMutation("post", "/api/jobs/{id}/cancel/", {
    onSuccess: (data) => {
      if (data) queryClient.setQueryData(jobQueries.detail(job.id).queryKey, data);
      void jobInvalidation.lists(queryClient);
    },
    onError: (e) => onError(errorMessage(e)),
  });
  const rerun = $api.useMutation("post", "/api/jobs/{id}/rerun/", {
    onSuccess: (data) => {
      void jobInvalidation.lists(queryClient);
      if (data?.id) navigate(`/jobs/${data.id}`);
    },
    onError: (e) => onError(errorMessage(e)),
  });

  const ask = () => {
    onError(null);
    setAsking(true);
    dialog.current?.showModal();
  };
  const close = () => {
    setAsking(false);
    dialog.current?.close();
  };
  const confirm = () => {
    close();
    cancel.mutate({ params: { path: { id: job.id } } });
  };

  return (
    <div className="actions job-actions">
      <button
        type="button"
        className="btn"
        disabled={!finished || rerun.isPending}
        title={finished ? undefined : "Available when the job has ended"}
        onClick={() => {
          onError(null);
          rerun.mutate({ params: { path: { id: job.id } } });
        }}
      >
        Rerun
      </button>
      <Link
        className="btn"
        to={
          job.application
            ? `/applications/${job.application}/launch?from=${job.id}`
            : `/jobs/new?from=${job.id}`
        }
      >
        Edit and rerun
      </Link>
      <button
        type="button"
        className="btn danger cancel-job"
        disabled={finished || cancel.isPending || job.cancel_requested || asking}
        onClick={ask}
      >
        {job.cancel_requested && !finished ? "Cancelling…" : "Cancel"}
      </button>
      <dialog
        ref={dialog}
        className="card confirm-dialog"
        aria-labelledby="cancel-title"
        onClose={() => setAsking(false)}
      >
        <h2 id="cancel-title">Cancel this job?</h2>
        <p>
          Its processes get TERM, then KILL after a grace period. The output so far and its result
          files are kept.
        </p>
        <div className="form-actions">
          {/* biome-ignore lint/a11y/noAutofocus: the safe choice takes the focus in a dialog */}
          <button type="button" className="btn" onClick={close} autoFocus>
            Keep running
          </button>
          <button type="button" className="btn danger" onClick={confirm}>
            Cancel job
          </button>
        </div>
      </dialog>
    </div>
  );
}
