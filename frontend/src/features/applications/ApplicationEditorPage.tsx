import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useNavigate, useParams } from "react-router";
import { $api } from "../../api/client";
import { mapApiErrors } from "../../api/errors";
import { FormErrors, FormFooter } from "../../components/FormFooter";
import { RouteErrorBoundary } from "../../components/RouteErrorBoundary";
import { useFillOnce } from "../../lib/useFillOnce";
import { serverQueries } from "../servers/queries";
import {
  type Application,
  type Draft,
  draftBody,
  EMPTY,
  FIELDS,
  fromApplication,
  parseSchema,
} from "./editor/applicationDraft";
import {
  AvailabilityFields,
  IdentityFields,
  ParametersField,
  ProgramFields,
} from "./editor/DraftFields";
import { applicationInvalidation, applicationQueries } from "./queries";
import { ParameterForm, type ParameterSchema } from "./schemaForm";

/** Staff write applications here, with the launch form previewed as they type. */
export function ApplicationEditorPage() {
  const { name } = useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const existing = useQuery({ ...applicationQueries.detail(name ?? ""), enabled: Boolean(name) });
  const servers = useQuery(serverQueries.servers());
  const interpreters = useQuery(serverQueries.interpreters());
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string[]>([]);
  useFillOnce(existing.data, (application) => setDraft(fromApplication(application)));

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) =>
    setDraft((d) => ({ ...d, [key]: value }));
  const parsed = parseSchema(draft.parameters);
  const onError = (error: unknown) => {
    const mapped = mapApiErrors(error, FIELDS);
    setErrors(mapped.fields);
    setGeneral(mapped.general);
  };
  const onSuccess = (app: Application) => {
    void applicationInvalidation.all(queryClient);
    navigate(`/applications/${app.name}/launch`);
  };
  const create = $api.useMutation("post", "/api/applications/", { onSuccess, onError });
  const update = $api.useMutation("put", "/api/applications/{name}/", { onSuccess, onError });

  const save = (e: React.FormEvent) => {
    e.preventDefault();
    setErrors({});
    setGeneral([]);
    const { body, errors: invalid } = draftBody(draft);
    if (!body) {
      setErrors(invalid);
      return;
    }
    if (name) update.mutate({ params: { path: { name } }, body });
    else create.mutate({ body });
  };

  if (name && !existing.data) return <p className="page muted">Loading…</p>;
  return (
    <section className="page">
      <div className="page-head">
        <h1>{name ? `Edit ${name}` : "New application"}</h1>
      </div>
      <div className="editor-layout">
        <form className="form card" onSubmit={save} noValidate aria-label="Application">
          <FormErrors messages={general} />
          <IdentityFields draft={draft} set={set} errors={errors} />
          <ProgramFields
            draft={draft}
            set={set}
            errors={errors}
            interpreters={interpreters.data?.results ?? []}
          />
          <ParametersField draft={draft} set={set} errors={errors} schemaError={parsed.error} />
          <AvailabilityFields
            draft={draft}
            set={set}
            errors={errors}
            servers={servers.data?.results ?? []}
          />
          <FormFooter
            submit="Save"
            disabled={create.isPending || update.isPending}
            cancelTo="/applications"
          />
        </form>
        <aside className="card editor-preview" aria-label="Form preview">
          <h2>Preview</h2>
          {parsed.schema ? (
            <PreviewForm schema={parsed.schema} />
          ) : (
            <p className="muted">{parsed.error}</p>
          )}
        </aside>
      </div>
    </section>
  );
}

function PreviewForm({ schema }: { schema: ParameterSchema }) {
  // A schema mid-edit can be anything: the preview must never take the page down.
  return (
    <RouteErrorBoundary resetKey={JSON.stringify(schema)}>
      <ParameterForm schema={schema} />
    </RouteErrorBoundary>
  );
}
