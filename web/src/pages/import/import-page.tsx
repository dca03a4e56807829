// PLACEHOLDER until the page is built.
import { PageTitle } from '../../components/page';

export function ImportPage() {
  return <PageTitle title="ImportPage">ImportPage</PageTitle>;
}
