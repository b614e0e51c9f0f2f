import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { lazy } from "react";
import { BrowserRouter, Navigate, Route, Routes } from "react-router";
import { ApplicationsPage } from "./features/applications/ApplicationsPage";
import { RequireAuth, UnauthorizedRedirect } from "./features/auth/auth";
import { SignInPage } from "./features/auth/SignInPage";
import { CredentialsPage } from "./features/credentials/CredentialsPage";
import { FilesPage } from "./features/files/FilesPage";
import { JobsListPage } from "./features/jobs/JobsListPage";
import { NewJobPage } from "./features/jobs/NewJobPage";
import { SettingsPage } from "./features/notifications/SettingsPage";
import { WebhooksPage } from "./features/notifications/WebhooksPage";
import { SchedulesPage } from "./features/schedules/SchedulesPage";
import { ServersPage } from "./features/servers/ServersPage";
import { Layout } from "./Layout";

// The job page (log viewer) loads when first needed; a failed chunk load reaches the
// route error boundary in Layout, which says "offline" instead of a blank page.
const JobDetailPage = lazy(() =>
  import("./features/jobs/JobDetailPage").then((m) => ({ default: m.JobDetailPage })),
);

// The launch form, the editor and the sweep page carry the JSON Schema form library: they
// load when first opened.
const LaunchPage = lazy(() =>
  import("./features/applications/LaunchPage").then((m) => ({ default: m.LaunchPage })),
);
const ApplicationEditorPage = lazy(() =>
  import("./features/applications/ApplicationEditorPage").then((m) => ({
    default: m.ApplicationEditorPage,
  })),
);
const SweepPage = lazy(() =>
  import("./features/applications/SweepPage").then((m) => ({ default: m.SweepPage })),
);
const ComparePage = lazy(() =>
  import("./features/results/ComparePage").then((m) => ({ default: m.ComparePage })),
);

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: { retry: 1, refetchOnWindowFocus: false, staleTime: 5_000 },
    mutations: { retry: false },
  },
});

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <UnauthorizedRedirect />
        <Routes>
          <Route path="/signin" element={<SignInPage />} />
          <Route
            element={
              <RequireAuth>
                <Layout />
              </RequireAuth>
            }
          >
            <Route index element={<Navigate to="/jobs" replace />} />
            <Route path="jobs" element={<JobsListPage />} />
            <Route path="jobs/new" element={<NewJobPage />} />
            <Route path="jobs/:id" element={<JobDetailPage />} />
            <Route path="applications" element={<ApplicationsPage />} />
            <Route path="applications/new" element={<ApplicationEditorPage />} />
            <Route path="applications/:name/launch" element={<LaunchPage />} />
            <Route path="applications/:name/edit" element={<ApplicationEditorPage />} />
            <Route path="sweeps/:id" element={<SweepPage />} />
            <Route path="compare" element={<ComparePage />} />
            <Route path="servers" element={<ServersPage />} />
            <Route path="credentials" element={<CredentialsPage />} />
            <Route path="files" element={<FilesPage />} />
            <Route path="schedules" element={<SchedulesPage />} />
            <Route path="webhooks" element={<WebhooksPage />} />
            <Route path="settings" element={<SettingsPage />} />
            <Route path="*" element={<NotFound />} />
          </Route>
        </Routes>
      </BrowserRouter>
    </QueryClientProvider>
  );
}

function NotFound() {
  return (
    <section className="page">
      <h1>Not found</h1>
      <p className="muted">There is nothing at this address.</p>
    </section>
  );
}
