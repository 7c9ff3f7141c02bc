import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ComponentBench, json, startComponentBench } from './support/component-page.js';

let bench: ComponentBench;
beforeAll(async () => {
  bench = await startComponentBench();
});
afterAll(() => bench?.close());

const body = '<osv-tutor course="c1" key="pk_unit"></osv-tutor>';

describe('<osv-tutor>', () => {
  it('reads CRLF event streams with multi-line data, and never links to a non-web address', async () => {
    const stream = [
      'event: token\r\ndata: {"text":"Line one\\n"}\r\n\r\n',
      'event: token\r\ndata: {"text":"line two [1]"}\r\n\r\n',
      'event: citation\r\ndata: {"index":1,"materialId":"m","title":"Sneaky",\r\ndata: "url":"javascript:alert(1)"}\r\n\r\n',
      'event: done\r\ndata: {"conversationId":"k","turnId":"t"}\r\n\r\n',
    ].join('');
    const tab = await bench.mount({
      widgets: ['osv-tutor'],
      body,
      api: (route) => {
        expect(route.request().headers().accept).toBe('text/event-stream');
        return route.fulfill({ status: 200, contentType: 'text/event-stream', body: stream });
      },
    });
    await tab.getByRole('textbox').fill('Q');
    await tab.getByRole('button', { name: 'Send' }).click();
    await tab.getByRole('list', { name: 'Sources' }).waitFor();
    expect(await tab.locator('osv-tutor .message.tutor .text').textContent()).toBe('Line one\nline two [1]');
    expect(await tab.getByRole('link').count()).toBe(0);
    await tab.getByRole('button', { name: 'Sneaky', exact: true }).waitFor();
  });

  it('shows a refusal from the API, and keeps Shift+Enter for new lines', async () => {
    let asked = 0;
    const tab = await bench.mount({
      widgets: ['osv-tutor'],
      body,
      api: (route) => {
        asked++;
        return json(route, { error: { code: 'OSV_ERR_FORBIDDEN', message: 'You lack the capability this action needs' } }, 403);
      },
    });
    const input = tab.getByRole('textbox');
    expect(await tab.getByRole('button', { name: 'Send' }).isDisabled()).toBe(true);
    await input.pressSequentially('first line');
    await input.press('Shift+Enter');
    await input.pressSequentially('second line');
    expect(await input.inputValue()).toBe('first line\nsecond line');
    expect(asked).toBe(0);
    await input.press('Enter');
    expect(await tab.getByRole('alert').textContent()).toBe('Something went wrong: You lack the capability this action needs');
  });
});
