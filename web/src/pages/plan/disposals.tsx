// Disposals: how each retired device's storage was made unreadable, with the certificate that
// proves it. Recording one sets the device to disposed and closes its dispose item in the plan.
import { useId, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, orgPath, useApi, type Page } from '../../api';
import { DataTable, Pager, useCursorPaging, type Column } from '../../components/data-table';
import { Alert, ErrorAlert, Loaded } from '../../components/feedback';
import { defineMessages, formatDate, useLang, useT } from '../../i18n';
import { label } from '../../labels';
import { useOrg } from '../../session';
import { deviceText, type DeviceLabel, type Disposal } from './plan-types';

const messages = defineMessages({
  nl: {
    caption: 'Afgevoerde apparaten', device: 'Apparaat', method: 'Methode', certificate: 'Certificaat', date: 'Datum', by: 'Vastgelegd door',
    formTitle: 'Afvoer vastleggen', deviceField: 'Apparaat', choose: 'Kies een apparaat', methodField: 'Methode van vernietiging van de opslag',
    methodHint: 'Bijvoorbeeld: gecertificeerd wissen, shredden, demagnetiseren.', certificateField: 'Certificaat van vernietiging (nummer of documentverwijzing)',
    record: 'Afvoer vastleggen', recorded: 'Afvoer van {device} is vastgelegd; het apparaat staat nu op “{status}”.',
    required: 'Kies een apparaat en vul de methode en het certificaat in.', noCandidates: 'Er zijn geen apparaten die op afvoer wachten.',
  },
  en: {
    caption: 'Disposed devices', device: 'Device', method: 'Method', certificate: 'Certificate', date: 'Date', by: 'Recorded by',
    formTitle: 'Record a disposal', deviceField: 'Device', choose: 'Choose a device', methodField: 'How the storage was destroyed',
    methodHint: 'For example: certified wipe, shredding, degaussing.', certificateField: 'Certificate of destruction (number or document reference)',
    record: 'Record the disposal', recorded: 'The disposal of {device} is recorded; the device is now “{status}”.',
    required: 'Choose a device and fill in the method and the certificate.', noCandidates: 'No devices are waiting for disposal.',
  },
});

export function Disposals({ devices, candidates, onRecorded }: { devices: ReadonlyMap<string, DeviceLabel>; candidates: readonly string[]; onRecorded(): void }) {
  const t = useT(messages);
  const { lang } = useLang();
  const org = useOrg();
  const id = useId();
  const paging = useCursorPaging();
  const list = useApi<Page<Disposal>>(orgPath(org.slug, '/disposals'), { limit: 25, cursor: paging.cursor });
  const [device, setDevice] = useState('');
  const [method, setMethod] = useState('');
  const [certificate, setCertificate] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | undefined>();
  const [invalid, setInvalid] = useState(false);
  const [done, setDone] = useState<string | null>(null);

  const columns: Column<Disposal>[] = [
    { key: 'date', header: t('date'), render: (d) => formatDate(lang, d.disposedAt) },
    { key: 'device', header: t('device'), render: (d) => <Link className="utrecht-link" to={`/o/${encodeURIComponent(org.slug)}/devices/${d.deviceId}`}>{deviceText(devices.get(d.deviceId), d.deviceId)}</Link> },
    { key: 'method', header: t('method'), render: (d) => d.method },
    { key: 'certificate', header: t('certificate'), render: (d) => d.certificate },
    { key: 'by', header: t('by'), render: (d) => d.recordedBy },
  ];

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!device || !method.trim() || !certificate.trim()) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    setBusy(true);
    setError(undefined);
    setDone(null);
    try {
      await api<Disposal>(orgPath(org.slug, '/disposals'), { method: 'POST', body: { device, method: method.trim(), certificate: certificate.trim() } });
      setDone(t('recorded', { device: deviceText(devices.get(device), device), status: label(lang, 'status', 'disposed') }));
      setDevice('');
      setMethod('');
      setCertificate('');
      paging.reset();
      list.reload();
      onRecorded();
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Loaded data={list.data} error={list.error}>
        {(page) => (
          <>
            <DataTable caption={t('caption')} columns={columns} rows={page.items} rowKey={(d) => d.id} />
            {(paging.page > 1 || page.nextCursor) && <Pager paging={paging} nextCursor={page.nextCursor} />}
          </>
        )}
      </Loaded>
      {org.can('write') && (
        <>
          <h3 className="utrecht-heading-3">{t('formTitle')}</h3>
          {candidates.length === 0 ? <p className="utrecht-paragraph">{t('noCandidates')}</p> : (
            <form className="camaudit-form" onSubmit={(e) => void submit(e)} noValidate>
              <div className="utrecht-form-field">
                <label className="utrecht-form-label" htmlFor={`${id}-device`}>{t('deviceField')}</label>
                <select id={`${id}-device`} name="device" className="utrecht-select utrecht-select--html-select" value={device} onChange={(e) => setDevice(e.target.value)} required>
                  <option value="">{t('choose')}</option>
                  {candidates.map((c) => <option key={c} value={c}>{deviceText(devices.get(c), c)}</option>)}
                </select>
              </div>
              <div className="utrecht-form-field">
                <label className="utrecht-form-label" htmlFor={`${id}-method`}>{t('methodField')}</label>
                <input id={`${id}-method`} name="method" className="utrecht-textbox utrecht-textbox--html-input" maxLength={200} value={method}
                  aria-describedby={`${id}-method-hint`} onChange={(e) => setMethod(e.target.value)} required />
                <span id={`${id}-method-hint`} className="camaudit-hint">{t('methodHint')}</span>
              </div>
              <div className="utrecht-form-field">
                <label className="utrecht-form-label" htmlFor={`${id}-certificate`}>{t('certificateField')}</label>
                <input id={`${id}-certificate`} name="certificate" className="utrecht-textbox utrecht-textbox--html-input" maxLength={200} value={certificate}
                  onChange={(e) => setCertificate(e.target.value)} required />
              </div>
              {invalid && <p className="camaudit-plan-invalid" role="alert">{t('required')}</p>}
              <div>
                <button type="submit" className="utrecht-button utrecht-button--primary-action" disabled={busy}>{t('record')}</button>
              </div>
            </form>
          )}
          {error && <ErrorAlert error={error} />}
          {done && <Alert type="ok">{done}</Alert>}
        </>
      )}
    </>
  );
}
