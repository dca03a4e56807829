// PLACEHOLDER until the page is built.
import { PageTitle } from '../../components/page';

export function ReportsPage() {
  return <PageTitle title="ReportsPage">ReportsPage</PageTitle>;
}
