// PLACEHOLDER until the page is built.
import { PageTitle } from '../../components/page';

export function NetworksPage() {
  return <PageTitle title="NetworksPage">NetworksPage</PageTitle>;
}
