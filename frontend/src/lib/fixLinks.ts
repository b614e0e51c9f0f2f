/** Where a user fixes what an error message is about: a page and the words for the link. */
export interface FixLink {
  to: string;
  label: string;
}

// Matched against the backend's own sentences (runner errors, field errors); the first
// pattern that matches wins, so the more specific ones come first.
const RULES: [RegExp, FixLink][] = [
  [/host key|fingerprint/i, { to: "/servers", label: "Pin the host key on the Servers page" }],
  [/DRS_ALLOWED_SSH_NETWORKS/, { to: "/servers", label: "Check the server's hostname" }],
  [
    /credential|authenticat|permission denied \(publickey|password/i,
    { to: "/credentials", label: "Check your credentials" },
  ],
  [
    /interpreter|not available on this server/i,
    { to: "/servers", label: "Check the interpreters" },
  ],
  [/server/i, { to: "/servers", label: "Open the Servers page" }],
];

export function fixLink(message: string | null | undefined): FixLink | null {
  if (!message) return null;
  for (const [pattern, link] of RULES) if (pattern.test(message)) return link;
  return null;
}
