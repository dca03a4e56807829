// PLACEHOLDER until the page is built.
import { PageTitle } from '../../components/page';

export function MapPage() {
  return <PageTitle title="MapPage">MapPage</PageTitle>;
}
