import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { ErrorView } from "../../components/ErrorView";
import { useMe } from "../auth/auth";
import { Markdown } from "./Markdown";
import { applicationQueries } from "./queries";

/** Every application as a card: what it does, and a way to launch it. */
export function ApplicationsPage() {
  const apps = useQuery(applicationQueries.list());
  const { me } = useMe();
  const failure: unknown = apps.error;
  return (
    <section className="page">
      <div className="page-head">
        <h1>Applications</h1>
        {me?.is_staff && (
          <Link to="/applications/new" className="btn">
            New application
          </Link>
        )}
      </div>
      {failure ? <ErrorView error={failure} /> : null}
      {apps.data && apps.data.length === 0 && (
        <p className="muted">
          No applications yet.
          {me?.is_staff ? " Create one to give users a form instead of a program." : ""}
        </p>
      )}
      <ul className="app-cards">
        {apps.data?.map((app) => (
          <li key={app.id} className="card app-card">
            <h2>
              {app.title}
              {!app.enabled && <span className="tag">disabled</span>}
            </h2>
            <p className="muted mono">{app.name}</p>
            {app.description && <Markdown text={app.description} />}
            <div className="form-actions">
              <Link
                to={`/applications/${app.name}/launch`}
                className="btn primary"
                aria-label={`Launch ${app.title}`}
              >
                Launch
              </Link>
              {me?.is_staff && (
                <Link to={`/applications/${app.name}/edit`} className="btn ghost">
                  Edit
                </Link>
              )}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
