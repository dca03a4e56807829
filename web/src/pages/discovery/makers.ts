// The knowledge base's makers by id, for showing "Hikvision" where the API says "hikvision".
import { useCallback, useMemo } from 'react';
import { useApi, type Page } from '../../api';
import { makerName } from './scan-logic';
import type { Vendor } from './types';

export function useMakerNames(): (id: string | null) => string {
  const vendors = useApi<Page<Vendor>>('/api/v1/kb/vendors', { limit: 1000 });
  const names = useMemo(() => new Map((vendors.data?.items ?? []).map((v) => [v.id, v.name])), [vendors.data]);
  return useCallback((id: string | null) => makerName(names, id), [names]);
}
