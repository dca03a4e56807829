// Routes. Pages load on demand (each its own chunk), so the first load stays small; the map and
// chart libraries come only with the pages that draw them.
import { lazy, type ComponentType } from 'react';
import { createBrowserRouter, Navigate, RouterProvider } from 'react-router';
import { Loading } from './components/feedback';
import { homePath, OrganisationLayout } from './layout';
import { SignInPage } from './pages/sign-in/sign-in-page';
import { permissionsOf, useSession } from './session';

function page<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  const Component: ComponentType = lazy(async () => ({ default: (await load())[name] as ComponentType }));
  return <Component />;
}

function Home() {
  const { session } = useSession();
  if (session === undefined) return <Loading />;
  const first = session?.organisations[0];
  if (!first) return <Navigate to="/sign-in" replace />;
  return <Navigate to={homePath(first.slug, (p) => permissionsOf(first.role).includes(p))} replace />;
}

const router = createBrowserRouter([
  { path: '/', element: <Home /> },
  { path: '/sign-in', element: <SignInPage /> },
  {
    path: '/o/:org',
    element: <OrganisationLayout />,
    children: [
      { index: true, element: <Navigate to="overview" replace /> },
      { path: 'overview', element: page(() => import('./pages/overview/overview-page'), 'OverviewPage') },
      { path: 'devices', element: page(() => import('./pages/register/devices-page'), 'DevicesPage') },
      { path: 'devices/:id', element: page(() => import('./pages/register/device-page'), 'DevicePage') },
      { path: 'sites', element: page(() => import('./pages/register/sites-page'), 'SitesPage') },
      { path: 'networks', element: page(() => import('./pages/register/networks-page'), 'NetworksPage') },
      { path: 'map', element: page(() => import('./pages/map/map-page'), 'MapPage') },
      { path: 'import', element: page(() => import('./pages/import/import-page'), 'ImportPage') },
      { path: 'discovery', element: page(() => import('./pages/discovery/discovery-page'), 'DiscoveryPage') },
      { path: 'discovery/:run', element: page(() => import('./pages/discovery/scan-run-page'), 'ScanRunPage') },
      { path: 'risk', element: page(() => import('./pages/risk/risk-page'), 'RiskPage') },
      { path: 'plan', element: page(() => import('./pages/plan/plan-page'), 'PlanPage') },
      { path: 'kb', element: page(() => import('./pages/kb/kb-page'), 'KbPage') },
      { path: 'reports', element: page(() => import('./pages/reports/reports-page'), 'ReportsPage') },
      { path: 'procurement', element: page(() => import('./pages/procurement/procurement-page'), 'ProcurementPage') },
      { path: 'coordinator', element: page(() => import('./pages/coordinator/coordinator-page'), 'CoordinatorPage') },
      { path: 'admin', element: page(() => import('./pages/admin/admin-page'), 'AdminPage') },
    ],
  },
  { path: '*', element: <Navigate to="/" replace /> },
]);

export function App() {
  return <RouterProvider router={router} />;
}
