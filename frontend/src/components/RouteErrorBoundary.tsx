import { Component, type ErrorInfo, type ReactNode } from "react";
import { errorKind } from "../api/errors";
import { ErrorView } from "./ErrorView";

/**
 * Catches render errors and failed lazy chunks below a route so one broken page never
 * blanks the app; the layout and navigation stay. `resetKey` (the location) clears it.
 */
export class RouteErrorBoundary extends Component<
  { children: ReactNode; resetKey: string },
  { error: unknown; key: string }
> {
  state = { error: null as unknown, key: this.props.resetKey };

  static getDerivedStateFromError(error: unknown) {
    return { error };
  }

  static getDerivedStateFromProps(
    props: { resetKey: string },
    state: { error: unknown; key: string },
  ) {
    return props.resetKey !== state.key ? { error: null, key: props.resetKey } : null;
  }

  componentDidCatch(error: unknown, info: ErrorInfo) {
    console.error("page error", error, info.componentStack);
  }

  render() {
    if (this.state.error != null) {
      // A lazy chunk that failed stays failed in this page load: retrying reloads the page.
      const retry =
        errorKind(this.state.error) === "offline"
          ? () => window.location.reload()
          : () => this.setState({ error: null });
      return <ErrorView error={this.state.error} onRetry={retry} />;
    }
    return this.props.children;
  }
}
