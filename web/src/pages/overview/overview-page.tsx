// PLACEHOLDER until the page is built.
import { PageTitle } from '../../components/page';

export function OverviewPage() {
  return <PageTitle title="OverviewPage">OverviewPage</PageTitle>;
}
