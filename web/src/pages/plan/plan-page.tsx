// The phase-out plan: compare scenarios and adopt one, follow the adopted plan on its timeline and
// move items along, see the money per year, record disposals and download the plan workbook.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { api, orgPath, type Page } from '../../api';
import { ErrorAlert, Loading } from '../../components/feedback';
import { PageTitle, Section } from '../../components/page';
import { defineMessages, useT } from '../../i18n';
import { useOrg } from '../../session';
import { Budget } from './budget';
import { Disposals } from './disposals';
import type { DeviceLabel, PlanItem, PlanParams } from './plan-types';
import { ScenarioBuilder } from './scenario-builder';
import { Timeline } from './timeline';
import { Workbook } from './workbook';
import './plan.css';

const messages = defineMessages({
  nl: {
    title: 'Uitfaseringsplan', scenarios: 'Scenario’s vergelijken en een plan vaststellen', timeline: 'Tijdlijn van het plan', budget: 'Budget',
    disposals: 'Afvoer', workbook: 'Planwerkboek',
  },
  en: {
    title: 'Phase-out plan', scenarios: 'Compare scenarios and adopt a plan', timeline: 'Plan timeline', budget: 'Budget',
    disposals: 'Disposal', workbook: 'Plan workbook',
  },
});

/** Every page of a list: the plan and the register are read whole (a municipality has hundreds of items, not millions). */
async function everything<T>(path: string, query: Record<string, string | number> = {}): Promise<T[]> {
  const all: T[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<T> = await api<Page<T>>(path, { query: { ...query, limit: 1000, ...(cursor ? { cursor } : {}) } });
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

export function PlanPage() {
  const t = useT(messages);
  const org = useOrg();
  const [items, setItems] = useState<PlanItem[] | undefined>();
  const [devices, setDevices] = useState<Map<string, DeviceLabel>>(new Map());
  const [error, setError] = useState<Error | undefined>();
  const [params, setParams] = useState<PlanParams | undefined>();
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((n) => n + 1), []);

  useEffect(() => {
    let cancelled = false;
    Promise.all([everything<PlanItem>(orgPath(org.slug, '/plan')), everything<DeviceLabel>(orgPath(org.slug, '/devices'))]).then(
      ([planItems, deviceList]) => {
        if (cancelled) return;
        setItems(planItems);
        setDevices(new Map(deviceList.map((d) => [d.id, d])));
      },
      (err: Error) => !cancelled && setError(err),
    );
    return () => {
      cancelled = true;
    };
  }, [org.slug, tick]);

  const changed = useCallback((item: PlanItem, deviceStatus: string | null) => {
    setItems((list) => list?.map((i) => (i.id === item.id ? item : i)));
    if (deviceStatus) {
      setDevices((map) => {
        const device = map.get(item.deviceId);
        return device ? new Map(map).set(item.deviceId, { ...device, status: deviceStatus }) : map;
      });
    }
  }, []);

  // Devices whose plan says dispose and that are not disposed yet: what a disposal can be recorded for.
  const candidates = useMemo(() => [...new Set((items ?? [])
    .filter((i) => i.action === 'dispose' && i.status !== 'done' && devices.get(i.deviceId)?.status !== 'disposed')
    .map((i) => i.deviceId))], [items, devices]);

  return (
    <>
      <PageTitle title={t('title')}>{t('title')}</PageTitle>
      <Section title={t('scenarios')} id="plan-scenarios">
        <ScenarioBuilder onAdopted={reload} onCompared={setParams} />
      </Section>
      <Section title={t('timeline')} id="plan-timeline">
        {error ? <ErrorAlert error={error} /> : items === undefined ? <Loading /> : <Timeline items={items} devices={devices} onChanged={changed} />}
      </Section>
      <Section title={t('budget')} id="plan-budget">
        {items === undefined ? (error ? null : <Loading />) : <Budget items={items} />}
      </Section>
      <Section title={t('disposals')} id="plan-disposals">
        <Disposals devices={devices} candidates={candidates} onRecorded={reload} />
      </Section>
      <Section title={t('workbook')} id="plan-workbook">
        <Workbook params={params} />
      </Section>
    </>
  );
}
