// PLACEHOLDER until the page is built.
import { PageTitle } from '../../components/page';

export function RiskPage() {
  return <PageTitle title="RiskPage">RiskPage</PageTitle>;
}
