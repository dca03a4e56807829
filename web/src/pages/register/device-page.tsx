// PLACEHOLDER until the page is built.
import { PageTitle } from '../../components/page';

export function DevicePage() {
  return <PageTitle title="DevicePage">DevicePage</PageTitle>;
}
