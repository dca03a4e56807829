// PLACEHOLDER until the page is built.
import { PageTitle } from '../../components/page';

export function ScanRunPage() {
  return <PageTitle title="ScanRunPage">ScanRunPage</PageTitle>;
}
