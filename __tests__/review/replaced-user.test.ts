/** The defect: a replaced user gets a preview, but the report listed no welcome for them. */
import { peopleAdded } from '../../review/email-preview';
import { renderPlanReport } from '../../review/plan-report';
import { managed, userChange } from '../support/preview-plan';

describe('a user the plan replaces', () => {
  const plan = {
    format_version: '1.2',
    resource_changes: [userChange(['delete', 'create'], 'bo', managed('bo@example.com'))],
  };

  it('is welcomed by the preview and by the report alike', () => {
    expect(peopleAdded(plan).map((p) => p.userName)).toEqual(['bo']);
    expect(renderPlanReport(plan)).toContain('1 person will get a welcome email');
  });
});
