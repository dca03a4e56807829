// PLACEHOLDER until the page is built.
import { PageTitle } from '../../components/page';

export function AdminPage() {
  return <PageTitle title="AdminPage">AdminPage</PageTitle>;
}
