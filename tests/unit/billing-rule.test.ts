import { expectedSessionsForConversation } from '../../src/usage/billing-rule';

describe('expectedSessionsForConversation', () => {
  it.each([
    [0, 1],
    [14 * 60 + 59, 1],
    [15 * 60, 1],
    [15 * 60 + 1, 2],
    [30 * 60, 2],
    [30 * 60 + 1, 3],
    [31 * 60, 3],
  ])('bills a conversation of %i seconds as %i session(s)', (seconds, sessions) => {
    expect(expectedSessionsForConversation(seconds)).toBe(sessions);
  });
});
