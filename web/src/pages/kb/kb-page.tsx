// PLACEHOLDER until the page is built.
import { PageTitle } from '../../components/page';

export function KbPage() {
  return <PageTitle title="KbPage">KbPage</PageTitle>;
}
