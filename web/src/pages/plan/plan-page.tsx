// PLACEHOLDER until the page is built.
import { PageTitle } from '../../components/page';

export function PlanPage() {
  return <PageTitle title="PlanPage">PlanPage</PageTitle>;
}
