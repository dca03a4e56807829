// PLACEHOLDER until the page is built.
import { PageTitle } from '../../components/page';

export function ProcurementPage() {
  return <PageTitle title="ProcurementPage">ProcurementPage</PageTitle>;
}
