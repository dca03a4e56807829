// PLACEHOLDER until the page is built.
import { PageTitle } from '../../components/page';

export function SitesPage() {
  return <PageTitle title="SitesPage">SitesPage</PageTitle>;
}
