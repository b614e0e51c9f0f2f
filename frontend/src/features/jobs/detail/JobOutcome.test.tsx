import { cleanup, render, screen } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { afterEach, describe, expect, it } from "vitest";
import type { Job } from "../../../api/client";
import { fixLink } from "../../../lib/fixLinks";
import { JobOutcome } from "./JobOutcome";

const job = (extra: Partial<Job>) =>
  ({ status: "failed", exit_code: null, error: "", ...extra }) as Job;

function show(j: Job) {
  return render(
    <MemoryRouter>
      <JobOutcome job={j} />
    </MemoryRouter>,
  );
}

afterEach(cleanup);

describe("JobOutcome", () => {
  it("explains exit 126 and links to the interpreters", () => {
    show(job({ exit_code: 126 }));
    expect(screen.getByTestId("job-outcome").textContent).toContain("Exit code 126");
    expect(screen.getByRole("link", { name: "Check the interpreters" }).getAttribute("href")).toBe(
      "/servers",
    );
  });

  it("explains exit 127 as a command not found", () => {
    show(job({ exit_code: 127 }));
    expect(screen.getByTestId("job-outcome").textContent).toContain("command not found");
  });

  it("shows a cancel as a note, not an error", () => {
    show(job({ status: "cancelled", error: "Cancelled by request." }));
    const note = screen.getByTestId("job-outcome");
    expect(note.className).toBe("note-banner");
    expect(note.textContent).toBe("Cancelled by request.");
  });

  it("says nothing for a plain non-zero exit", () => {
    show(job({ exit_code: 3 }));
    expect(screen.queryByTestId("job-outcome")).toBeNull();
  });

  it("links an error to the page that fixes it", () => {
    show(job({ error: "The host key of lab is not pinned: scan it." }));
    expect(screen.getByRole("link").getAttribute("href")).toBe("/servers");
  });
});

describe("fixLink", () => {
  it("maps backend sentences to pages", () => {
    expect(fixLink("Authentication failed for alice")?.to).toBe("/credentials");
    expect(fixLink("Not available on this server.")?.to).toBe("/servers");
    expect(fixLink("127.0.0.1 is a loopback … DRS_ALLOWED_SSH_NETWORKS")?.to).toBe("/servers");
    expect(fixLink("something else entirely")).toBeNull();
  });
});
