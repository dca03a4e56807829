// PLACEHOLDER until the page is built.
import { PageTitle } from '../../components/page';

export function DiscoveryPage() {
  return <PageTitle title="DiscoveryPage">DiscoveryPage</PageTitle>;
}
