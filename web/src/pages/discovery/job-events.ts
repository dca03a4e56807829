// Following a job as the server streams it: `progress` events carry the job whenever it changed,
// `done` the job as it ended. The stream is closed on `done`, so the browser does not reconnect to
// a job that is over; a lost connection is left to EventSource, which reconnects by itself.
import { useEffect, useState } from 'react';

/** A job as the jobs API gives it (the fields the pages read). */
export interface JobView {
  id: string;
  kind: string;
  status: string;
  progress: unknown;
  result: unknown;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** What a route that starts a job answers (202). */
export interface AcceptedJob {
  job: JobView;
  links: { self: string; events: string; download?: string };
}

export interface JobFollow {
  job: JobView | undefined;
  /** The stream said the job ended. */
  finished: boolean;
  /** The server could not go on reading the job. */
  error: string | undefined;
}

export function useJobEvents(eventsUrl: string | null): JobFollow {
  const [state, setState] = useState<JobFollow>({ job: undefined, finished: false, error: undefined });
  useEffect(() => {
    if (eventsUrl === null) return;
    setState({ job: undefined, finished: false, error: undefined });
    const source = new EventSource(eventsUrl);
    const read = (event: MessageEvent<string>): JobView | null => {
      try {
        return JSON.parse(event.data) as JobView;
      } catch {
        return null;
      }
    };
    source.addEventListener('progress', (event) => {
      const job = read(event);
      if (job) setState((s) => ({ ...s, job }));
    });
    source.addEventListener('done', (event) => {
      const job = read(event);
      source.close();
      setState((s) => ({ job: job ?? s.job, finished: true, error: undefined }));
    });
    // The server's own `error` event carries a detail; the browser's connection errors carry none.
    source.addEventListener('error', (event) => {
      const data = (event as MessageEvent<string>).data;
      if (typeof data !== 'string') return;
      source.close();
      let detail = data;
      try {
        detail = (JSON.parse(data) as { detail?: string }).detail ?? data;
      } catch {
        // not JSON: the text says it
      }
      setState((s) => ({ ...s, finished: true, error: detail }));
    });
    return () => source.close();
  }, [eventsUrl]);
  return state;
}
