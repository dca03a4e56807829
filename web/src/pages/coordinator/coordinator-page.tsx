// PLACEHOLDER until the page is built.
import { PageTitle } from '../../components/page';

export function CoordinatorPage() {
  return <PageTitle title="CoordinatorPage">CoordinatorPage</PageTitle>;
}
