'use strict';
// util.parseArgs: turns command-line arguments into tokens (options, positionals, the "--"
// terminator), checks them against the configured options in strict mode and collects
// `values` and `positionals`.

const { codes, validators } = require('internal/errors');

const hasOwn = (obj, key) => Object.prototype.hasOwnProperty.call(obj, key);

// A property of the option's configuration, if the option is configured.
function optionProperty(options, longOption, key) {
  if (!hasOwn(options, longOption)) return undefined;
  const config = options[longOption];
  return hasOwn(config, key) ? config[key] : undefined;
}

function longOptionForShort(shortOption, options) {
  for (const longOption of Object.keys(options)) {
    if (optionProperty(options, longOption, 'short') === shortOption) return longOption;
  }
  return shortOption;
}

// A value taken from the next argument that looks like an option is ambiguous.
function isOptionLike(value) {
  return value.length > 1 && value[0] === '-';
}

function isLoneShortOption(arg) {
  return arg.length === 2 && arg[0] === '-' && arg[1] !== '-';
}

function isShortOptionCluster(arg) {
  return arg.length > 2 && arg[0] === '-' && arg[1] !== '-';
}

// The command line after the runtime and script (after the runtime for -e/-p).
function mainArgs() {
  const evalFlags = ['-e', '--eval', '-p', '--print'];
  const isEval = process.execArgv.some((arg) => evalFlags.includes(arg) || /^--(eval|print)=/.test(arg));
  return process.argv.slice(isEval ? 1 : 2);
}

function validateConfig(options) {
  for (const longOption of Object.keys(options)) {
    const config = options[longOption];
    const name = `options.${longOption}`;
    validators.validateObject(config, name);
    const type = optionProperty(options, longOption, 'type');
    if (type !== 'string' && type !== 'boolean') {
      throw new codes.ERR_INVALID_ARG_TYPE(`${name}.type`, "('string|boolean')", type);
    }
    if (hasOwn(config, 'short')) {
      const short = config.short;
      validators.validateString(short, `${name}.short`);
      if (short.length !== 1) {
        throw new codes.ERR_INVALID_ARG_VALUE(`${name}.short`, short, 'must be a single character');
      }
    }
    const multiple = optionProperty(options, longOption, 'multiple');
    if (hasOwn(config, 'multiple')) validators.validateBoolean(multiple, `${name}.multiple`);
    if (hasOwn(config, 'default')) {
      const defaultValue = config.default;
      const check = type === 'string' ? validators.validateString : validators.validateBoolean;
      if (multiple) {
        validators.validateArray(defaultValue, `${name}.default`);
        defaultValue.forEach((item, i) => check(item, `${name}.default[${i}]`));
      } else {
        check(defaultValue, `${name}.default`);
      }
    }
  }
}

function ambiguityError(rawName, longOption) {
  const example = isLoneShortOption(rawName) ? `'--${longOption}=-XYZ' or '${rawName}-XYZ'` : `'--${longOption}=-XYZ'`;
  return new codes.ERR_PARSE_ARGS_INVALID_OPTION_VALUE(
    `Option '${rawName}' argument is ambiguous.\n` +
      `Did you forget to specify the option argument for '${rawName}'?\n` +
      `To specify an option argument starting with a dash use ${example}.`,
  );
}

function tokenize(args, options, strict, allowNegative) {
  const tokens = [];
  const queue = args.slice();
  // Indices refer to `args`; expanded short-option clusters keep their argument's index.
  const indices = args.map((_, i) => i);
  const optionToken = (name, rawName, index, value, inlineValue) =>
    ({ kind: 'option', name, rawName, index, value, inlineValue });
  // Takes the next argument as the value of a string option.
  const takeValue = () => {
    if (queue.length === 0) return undefined;
    indices.shift();
    return queue.shift();
  };
  while (queue.length > 0) {
    const arg = queue.shift();
    const index = indices.shift();
    if (arg === '--') {
      tokens.push({ kind: 'option-terminator', index });
      queue.forEach((value, i) => tokens.push({ kind: 'positional', index: indices[i], value }));
      break;
    }
    if (isLoneShortOption(arg)) {
      const short = arg[1];
      const name = longOptionForShort(short, options);
      let value;
      if (optionProperty(options, name, 'type') === 'string') {
        value = takeValue();
      }
      tokens.push(optionToken(name, arg, index, value, value === undefined ? undefined : false));
      continue;
    }
    if (isShortOptionCluster(arg)) {
      const name = longOptionForShort(arg[1], options);
      if (optionProperty(options, name, 'type') === 'string') {
        tokens.push(optionToken(name, `-${arg[1]}`, index, arg.slice(2), true));
        continue;
      }
      // "-abc" means "-a -b -c"; a string option takes the rest as its value.
      const expanded = [];
      for (let i = 1; i < arg.length; i++) {
        const short = arg[i];
        if (optionProperty(options, longOptionForShort(short, options), 'type') === 'string' && i < arg.length - 1) {
          expanded.push(`-${arg.slice(i)}`);
          break;
        }
        expanded.push(`-${short}`);
      }
      queue.unshift(...expanded);
      indices.unshift(...expanded.map(() => index));
      continue;
    }
    if (arg.startsWith('--') && arg.length > 2) {
      const equals = arg.indexOf('=');
      let name = equals === -1 ? arg.slice(2) : arg.slice(2, equals);
      const rawName = equals === -1 ? arg : arg.slice(0, equals);
      if (allowNegative && name.startsWith('no-')) {
        const positive = name.slice(3);
        const type = optionProperty(options, positive, 'type');
        if (type === 'boolean' || (!strict && type === undefined)) name = positive;
      }
      if (equals !== -1) {
        tokens.push(optionToken(name, rawName, index, arg.slice(equals + 1), true));
        continue;
      }
      let value;
      if (optionProperty(options, name, 'type') === 'string') {
        value = takeValue();
      }
      tokens.push(optionToken(name, rawName, index, value, value === undefined ? undefined : false));
      continue;
    }
    tokens.push({ kind: 'positional', index, value: arg });
  }
  return tokens;
}

function checkOptionUsage(token, options, allowPositionals) {
  if (!hasOwn(options, token.name)) {
    throw new codes.ERR_PARSE_ARGS_UNKNOWN_OPTION(token.rawName, allowPositionals);
  }
  // A value from the next argument that looks like an option is probably a mistake.
  if (token.inlineValue === false && isOptionLike(token.value)) throw ambiguityError(token.rawName, token.name);
  const short = optionProperty(options, token.name, 'short');
  const shortAndLong = `${short ? `-${short}, ` : ''}--${token.name}`;
  const type = optionProperty(options, token.name, 'type');
  if (type === 'string' && typeof token.value !== 'string') {
    throw new codes.ERR_PARSE_ARGS_INVALID_OPTION_VALUE(`Option '${shortAndLong} <value>' argument missing`);
  }
  if (type === 'boolean' && token.value != null) {
    throw new codes.ERR_PARSE_ARGS_INVALID_OPTION_VALUE(`Option '${shortAndLong}' does not take an argument`);
  }
}

function isNegated(token) {
  return token.rawName.startsWith('--no-') && token.name !== token.rawName.slice(2);
}

function storeOption(values, options, token) {
  const name = token.name;
  if (name === '__proto__') return;
  let value = token.value ?? true;
  if (isNegated(token)) value = false;
  if (optionProperty(options, name, 'multiple')) {
    if (values[name] === undefined) values[name] = [];
    values[name].push(value);
  } else {
    values[name] = value;
  }
}

function parseArgs(config = Object.create(null)) {
  const args = hasOwn(config, 'args') ? config.args : mainArgs();
  const strict = hasOwn(config, 'strict') ? config.strict : true;
  const allowPositionals = hasOwn(config, 'allowPositionals') ? config.allowPositionals : !strict;
  const returnTokens = hasOwn(config, 'tokens') ? config.tokens : false;
  const allowNegative = hasOwn(config, 'allowNegative') ? config.allowNegative : false;
  const options = hasOwn(config, 'options') ? config.options : Object.create(null);

  validators.validateArray(args, 'args');
  validators.validateBoolean(strict, 'strict');
  validators.validateBoolean(allowPositionals, 'allowPositionals');
  validators.validateBoolean(returnTokens, 'tokens');
  validators.validateBoolean(allowNegative, 'allowNegative');
  validators.validateObject(options, 'options');
  validateConfig(options);

  const result = { values: Object.create(null), positionals: [] };
  const tokens = tokenize(args, options, strict, allowNegative);
  for (const token of tokens) {
    if (token.kind === 'option') {
      if (strict) checkOptionUsage(token, options, allowPositionals);
      storeOption(result.values, options, token);
    } else if (token.kind === 'positional') {
      if (!allowPositionals) throw new codes.ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL(token.value);
      result.positionals.push(token.value);
    }
  }
  for (const longOption of Object.keys(options)) {
    const defaultValue = optionProperty(options, longOption, 'default');
    if (defaultValue !== undefined && result.values[longOption] === undefined) {
      result.values[longOption] = defaultValue;
    }
  }
  if (returnTokens) result.tokens = tokens;
  return result;
}

module.exports = { parseArgs };
