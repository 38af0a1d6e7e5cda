/**
 * Outside text (a prospect's words, names, notes) made inert for Slack. In mrkdwn a buyer could otherwise plant a
 * link with any label (`<http://evil|Claim>`), ping everyone (`<!channel>`, `<@U…>`), or restyle the alert
 * (`*`, `_`, `~`, backticks, a `>` quote on a new line). Slack has no escape for formatting characters, so they
 * become look-alikes; `&`, `<` and `>` are escaped as Slack requires; URLs, `@` and `#` get an invisible word
 * joiner so no client auto-links them (the blocks also set `verbatim`, which turns Slack's own auto-parsing off).
 */

const WORD_JOINER = '\u2060';

/** Look-alikes for the characters mrkdwn formats with. */
const FORMATTING: Record<string, string> = {
  '*': '\u2217', // ∗ asterisk operator
  _: '\u02cd', // ˍ modifier letter low macron
  '~': '\u223c', // ∼ tilde operator
  '`': '\u02cb', // ˋ modifier letter grave accent
};

/** Breaks what Slack clients would turn into links or mentions: schemes, `www.`, host names, `@name`, `#name`. */
function breakAutolinks(text: string): string {
  return text
    .replace(/:\/\//g, `:${WORD_JOINER}//`)
    .replace(/\b(www)\./gi, `$1${WORD_JOINER}.`)
    .replace(/([a-z0-9])\.(?=[a-z]{2,})/gi, `$1${WORD_JOINER}.`)
    .replace(/([@#])(?=[\w.-])/g, `$1${WORD_JOINER}`);
}

/** One line: a newline in outside text could start a quote or a list of its own. */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ');
}

/** Outside text for a `plain_text` object (the header): no links or mentions; Slack shows `&<>` as they are. */
export function slackPlainText(text: string): string {
  return breakAutolinks(oneLine(text));
}

/** Outside text for a `mrkdwn` object: escaped, without formatting, links or mentions, on one line. */
export function slackMrkdwnText(text: string): string {
  const escaped = oneLine(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return breakAutolinks(escaped.replace(/[*_~`]/g, (c) => FORMATTING[c] ?? c));
}

/**
 * Cuts text to `max` characters with an ellipsis, never inside an escape (`&amp;`) or a surrogate pair, so the
 * cut text is still what Slack expects.
 */
export function clipSlackText(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1).replace(/&[a-z]{0,3}$/, '');
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}
