import { Link } from "react-router";
import { fixLink } from "../lib/fixLinks";

/** A link to the page that fixes what `message` is about, when one is known. */
export function FixHint({ message }: { message: string | null | undefined }) {
  const link = fixLink(message);
  if (!link) return null;
  return (
    <p>
      <Link to={link.to}>{link.label}</Link>
    </p>
  );
}
