/**
 * The Slack DM previews: for each person whose channel includes Slack, the
 * Block Kit JSON the function posts and an HTML rendering of it, from the
 * function's own renderer; hostile values stay inert in both.
 */
import { renderWelcomeSlack } from '../../handlers/welcome/core/slack-message';
import {
  PASSWORD_PLACEHOLDER,
  peopleAdded,
  planRecipients,
  previewFiles,
  previewSlackJson,
  renderIndex,
  renderPreviews,
} from '../../review/email-preview';
import { mrkdwnToHtml, renderSlackPreviewHtml } from '../../review/slack-preview';
import { HOSTILE, managed, plan, settings, userChange } from '../support/preview-plan';

const issuedAtMs = Date.UTC(2026, 11, 2, 10, 0);

describe('Slack previews', () => {
  it('only for a Slack channel: the settings’ default or the person’s own tag', () => {
    expect(renderPreviews(peopleAdded(plan), settings).every((p) => p.slack === undefined)).toBe(
      true,
    );
    const all = renderPreviews(
      peopleAdded(plan),
      { ...settings, delivery: { channel: 'slack' } },
      issuedAtMs,
    );
    expect(all.map((p) => p.channel)).toEqual(['slack', 'slack', 'slack']);
    const [alice] = all;
    expect(alice.slack).toEqual(
      renderWelcomeSlack({
        userName: 'alice.martin',
        displayName: 'Alice Martin',
        email: 'alice.martin@example.com',
        signInUrl: 'https://123456789012.signin.aws.amazon.com/console',
        organisationName: 'Example Corp',
        helpContact: 'it-help@example.com',
        password: PASSWORD_PLACEHOLDER,
        issuedAtMs,
      }),
    );
    // The email is there too: it is what a person Slack cannot reach gets.
    expect(alice.email.text).toContain('Temporary password: <temporary password>');

    const tagged = {
      ...plan,
      resource_changes: [
        userChange(['create'], 'sam', {
          ...managed('sam@example.com'),
          'delivery-channel': 'email-and-slack',
        }),
      ],
    };
    const [sam] = renderPreviews(planRecipients(tagged), settings);
    expect(sam.channel).toBe('email-and-slack');
    expect(sam.slack).toBeDefined();
    expect(previewFiles(planRecipients(tagged), 'out')[0].slack).toEqual({
      html: 'out/welcome-sam.slack.html',
      json: 'out/welcome-sam.slack.json',
    });
    expect(previewFiles(planRecipients(plan), 'out')[0]).not.toHaveProperty('slack');
  });

  it('the JSON is what chat.postMessage gets; the HTML draws it with hostile values inert', () => {
    const [, , zoe] = renderPreviews(peopleAdded(plan), {
      ...settings,
      delivery: { channel: 'slack' },
    });
    expect(zoe.person.displayName).toBe(HOSTILE);
    const json = JSON.parse(previewSlackJson(zoe.slack!)) as { text: string; blocks: unknown[] };
    expect(json).toEqual({ text: zoe.slack!.text, blocks: zoe.slack!.blocks });
    expect(JSON.stringify(json)).not.toContain('<script>');

    const html = renderSlackPreviewHtml(zoe.slack!, zoe.person);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b onmouseover');
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('&lt;temporary password&gt;');
    expect(html).toContain('<strong>User name</strong>');
    expect(html).toContain('<pre');
  });

  it('mrkdwn to HTML: only bold and line breaks become markup', () => {
    expect(mrkdwnToHtml('*Bold* and &lt;b&gt; "q"\nnext')).toBe(
      '<strong>Bold</strong> and &lt;b&gt; &quot;q&quot;<br>next',
    );
  });

  it('the index links them and names each person’s channel', () => {
    const previews = renderPreviews(peopleAdded(plan), {
      ...settings,
      delivery: { channel: 'slack' },
    });
    const index = renderIndex(previews, settings);
    expect(index).toContain('<a href="welcome-alice.martin.slack.html">Slack</a>');
    expect(index).toContain('<a href="welcome-alice.martin.slack.json">Block Kit JSON</a>');
    expect(index).toContain('<td>slack</td>');
  });
});
