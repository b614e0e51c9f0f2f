import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { Link } from "react-router";
import { $api, type Schemas } from "../../api/client";
import { errorMessage } from "../../api/errors";
import { AddListPage } from "../../components/AddListPage";
import { DeleteWithConfirm } from "../../components/DeleteWithConfirm";
import { EnabledSwitch } from "../../components/EnabledSwitch";
import { browserTimezone, localTime, scheduleInvalidation, scheduleQueries } from "./queries";
import { ScheduleForm } from "./ScheduleForm";

export function SchedulesPage() {
  const schedules = useQuery({ ...scheduleQueries.list(), refetchInterval: 15_000 });
  return (
    <AddListPage
      title="Schedules"
      addLabel="Add schedule"
      intro={
        <p className="muted">
          Each tick submits the job as you, with your credential. Times below are in your timezone (
          {browserTimezone()}).
        </p>
      }
      form={(onDone) => <ScheduleForm onDone={onDone} />}
      query={schedules}
      empty="No schedules yet."
    >
      {(s) => <ScheduleCard key={s.id} schedule={s} />}
    </AddListPage>
  );
}

function ScheduleCard({ schedule }: { schedule: Schemas["Schedule"] }) {
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const onSuccess = () => void scheduleInvalidation.list(queryClient);
  const onError = (e: unknown) => setError(errorMessage(e));
  const update = $api.useMutation("patch", "/api/schedules/{id}/", { onSuccess, onError });
  const remove = $api.useMutation("delete", "/api/schedules/{id}/", { onSuccess, onError });
  const path = { params: { path: { id: schedule.id } } };
  return (
    <article className="card" aria-label={`Schedule ${schedule.name}`}>
      <div className="page-head">
        <h2>{schedule.name}</h2>
        <div className="actions">
          <EnabledSwitch
            checked={schedule.enabled}
            onChange={(enabled) => update.mutate({ ...path, body: { enabled } })}
          />
          <DeleteWithConfirm onDelete={() => remove.mutate(path)} />
        </div>
      </div>
      <p className="small">
        <code className="mono">{schedule.cron}</code> in {schedule.timezone} · overlap:{" "}
        {schedule.overlap}
      </p>
      {error && (
        <p className="error-banner" role="alert">
          {error}
        </p>
      )}
      <div className="grid-2">
        <RunList
          title="Next runs"
          empty="None while disabled."
          ordered
          items={schedule.next_runs.map((t) => (
            <li key={t}>
              <time dateTime={t}>{localTime(t)}</time>
            </li>
          ))}
        />
        <RunList
          title="Last runs"
          empty="Not run yet."
          items={schedule.last_runs.map((r) => (
            <li key={r.scheduled_for}>
              <time dateTime={r.scheduled_for}>{localTime(r.scheduled_for)}</time>:{" "}
              {r.job ? (
                <Link to={`/jobs/${r.job}`}>
                  {r.outcome} ({r.job_status})
                </Link>
              ) : (
                r.outcome
              )}
              {r.error && <span className="field-error"> {r.error}</span>}
            </li>
          ))}
        />
      </div>
    </article>
  );
}

/** A schedule's runs under TITLE (the list's name too), or EMPTY when there are none. */
function RunList({
  title,
  empty,
  ordered = false,
  items,
}: {
  title: string;
  empty: string;
  ordered?: boolean;
  items: ReactNode[];
}) {
  const List = ordered ? "ol" : "ul";
  return (
    <div>
      <h3 className="small">{title}</h3>
      {items.length === 0 ? (
        <p className="muted small">{empty}</p>
      ) : (
        <List className="small" aria-label={title}>
          {items}
        </List>
      )}
    </div>
  );
}
