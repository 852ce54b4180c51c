'use strict';
// Whether text written to a stream should carry ANSI colors, as Node decides it for
// util.styleText and util.debuglog: FORCE_COLOR wins, then the stream must be a terminal
// whose color depth (NO_COLOR, NODE_DISABLE_COLORS, TERM=dumb lower it) exceeds 2 bits.

function envColorDepth() {
  const { FORCE_COLOR, NO_COLOR, NODE_DISABLE_COLORS, TERM } = process.env;
  if (FORCE_COLOR !== undefined) {
    if (FORCE_COLOR === '0' || FORCE_COLOR === 'false') return 1;
    if (FORCE_COLOR === '2') return 8;
    if (FORCE_COLOR === '3') return 24;
    return 4;
  }
  if (NO_COLOR !== undefined || NODE_DISABLE_COLORS !== undefined || TERM === 'dumb') return 1;
  return 8;
}

function shouldColorize(stream) {
  if (process.env.FORCE_COLOR !== undefined) return envColorDepth() > 2;
  if (!stream?.isTTY) return false;
  const depth = typeof stream.getColorDepth === 'function' ? stream.getColorDepth() : envColorDepth();
  return depth > 2;
}

module.exports = { shouldColorize };
