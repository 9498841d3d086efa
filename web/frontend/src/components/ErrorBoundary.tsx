import { Alert, AlertTitle, Box, Button } from "@mui/material";
import { Component } from "react";
import type { ErrorInfo, ReactNode } from "react";

interface State {
  error: Error | null;
}

/** One failing page must not blank the dashboard: show the error and a retry. */
export class ErrorBoundary extends Component<{ children: ReactNode; name?: string }, State> {
  state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  componentDidCatch(error: Error, info: ErrorInfo) {
    console.error(`${this.props.name ?? "view"} failed`, error, info.componentStack);
  }

  render() {
    if (this.state.error) {
      return (
        <Box p={3}>
          <Alert severity="error" role="alert"
            action={<Button color="inherit" onClick={() => this.setState({ error: null })}>Retry</Button>}>
            <AlertTitle>{this.props.name ?? "This view"} failed</AlertTitle>
            {this.state.error.message}
          </Alert>
        </Box>
      );
    }
    return this.props.children;
  }
}
