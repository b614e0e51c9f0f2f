/** A small "Download" button-link for one stored file, named for screen readers. */
export function DownloadLink({ href, name }: { href: string; name: string }) {
  return (
    <a className="btn small" href={href} download aria-label={`Download ${name}`}>
      Download
    </a>
  );
}
