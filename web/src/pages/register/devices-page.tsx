// PLACEHOLDER until the page is built.
import { PageTitle } from '../../components/page';

export function DevicesPage() {
  return <PageTitle title="DevicesPage">DevicesPage</PageTitle>;
}
