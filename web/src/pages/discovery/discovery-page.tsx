// Discovery: start a scan from the server and watch it, the runs so far, bundles from closed
// networks, and (for administrators) the agents that scan there.
import { useCallback, useEffect, useState } from 'react';
import { orgPath, useApi, type Page } from '../../api';
import { PageTitle, Section } from '../../components/page';
import { defineMessages, useT } from '../../i18n';
import { useOrg } from '../../session';
import { Agents } from './agents';
import { BundleUpload } from './bundle-upload';
import type { AcceptedJob, JobView } from './job-events';
import { RunsTable } from './runs-table';
import { ScanForm } from './scan-form';
import { useMakerNames } from './makers';
import { isFinalStatus } from './scan-logic';
import { ScanProgressPanel } from './scan-progress';
import './discovery.css';

const messages = defineMessages({
  nl: {
    title: 'Ontdekken',
    intro: 'Zoek camera\'s en recorders in de netwerken van de gemeente en stel vast wie ze werkelijk gemaakt heeft. Gevonden apparaten komen als "ontdekt" in het register.',
    start: 'Scan starten',
    runs: 'Scanrondes',
    bundle: 'Bundel uit een gesloten netwerk uploaden',
    agents: 'Agents in gesloten netwerken',
  },
  en: {
    title: 'Discovery',
    intro: 'Find cameras and recorders in the municipality\'s networks and establish who really made them. Devices found enter the register as "discovered".',
    start: 'Start a scan',
    runs: 'Scan runs',
    bundle: 'Upload a bundle from a closed network',
    agents: 'Agents in closed networks',
  },
});

export function DiscoveryPage() {
  const t = useT(messages);
  const org = useOrg();
  const vendorName = useMakerNames();
  const [active, setActive] = useState<{ job: JobView; events: string } | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  // A scan started earlier (in another tab, or before the page was left) is followed here too.
  const recent = useApi<Page<JobView>>(org.can('read') ? orgPath(org.slug, '/jobs') : null, { kind: 'scan', limit: 5 });
  useEffect(() => {
    const running = recent.data?.items.find((j) => !isFinalStatus(j.status));
    if (running) setActive((a) => a ?? { job: running, events: orgPath(org.slug, `/jobs/${running.id}/events`) });
  }, [recent.data, org.slug]);

  const started = useCallback((accepted: AcceptedJob) => setActive({ job: accepted.job, events: accepted.links.events }), []);
  const finished = useCallback(() => setReloadKey((k) => k + 1), []);

  return (
    <>
      <PageTitle title={t('title')}>{t('title')}</PageTitle>
      <p className="utrecht-paragraph">{t('intro')}</p>
      {org.can('write') && (
        <Section title={t('start')} id="scan-start">
          <ScanForm onStarted={started} />
        </Section>
      )}
      {active && <ScanProgressPanel key={active.job.id} job={active.job} eventsUrl={active.events} onFinished={finished} />}
      <Section title={t('runs')} id="scan-runs">
        <RunsTable reloadKey={reloadKey} />
      </Section>
      {org.can('write') && (
        <Section title={t('bundle')} id="scan-bundle">
          <BundleUpload onImported={finished} vendorName={vendorName} />
        </Section>
      )}
      {org.can('admin') && (
        <Section title={t('agents')} id="scan-agents">
          <Agents />
        </Section>
      )}
    </>
  );
}
