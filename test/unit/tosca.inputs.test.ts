import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import {
  applyInputs,
  inputsForForm,
  isSecretInputName,
  maskSecretInputs,
  validateInputs,
  type ParsedTemplate,
} from '../../src/tosca/index.js';
import { parseInline, parseShared } from './tosca/fixtures.js';

/** A template declaring the given inputs on top of a single compute node. */
async function withInputs(inputs: Record<string, unknown>): Promise<ParsedTemplate> {
  return parseInline(
    stringify({
      tosca_definitions_version: 'tosca_simple_yaml_1_0',
      topology_template: { inputs, node_templates: { vm: { type: 'tosca.nodes.Compute' } } },
    }),
  );
}

/** Validates one value for an input `x` of the given definition. */
async function check(def: Record<string, unknown>, value: unknown) {
  return validateInputs(await withInputs({ x: def }), { x: value });
}

async function accepted(def: Record<string, unknown>, value: unknown): Promise<unknown> {
  const result = await check(def, value);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.values.x;
}

async function reason(def: Record<string, unknown>, value: unknown): Promise<string> {
  const result = await check(def, value);
  if (result.ok) throw new Error(`accepted ${JSON.stringify(value)}`);
  expect(result.errors).toHaveLength(1);
  expect(result.errors[0].path).toBe('inputs.x');
  return result.errors[0].message;
}

describe('input types', () => {
  it('string: keeps strings, turns numbers and booleans into text, refuses maps', async () => {
    expect(await accepted({ type: 'string' }, 'abc')).toBe('abc');
    expect(await accepted({ type: 'string' }, 5)).toBe('5');
    expect(await reason({ type: 'string' }, { a: 1 })).toBe('Input <x> is invalid: expected a string, got a map');
  });

  it('integer: accepts integers and integer strings, refuses fractions and words', async () => {
    expect(await accepted({ type: 'integer' }, 3)).toBe(3);
    expect(await accepted({ type: 'integer' }, '42')).toBe(42);
    expect(await reason({ type: 'integer' }, 2.5)).toBe('Input <x> is invalid: expected an integer, got number 2.5');
    expect(await reason({ type: 'integer' }, 'four')).toMatch(/expected an integer, got string "four"/);
  });

  it('float: accepts numbers and numeric strings', async () => {
    expect(await accepted({ type: 'float' }, 1.5)).toBe(1.5);
    expect(await accepted({ type: 'float' }, 3)).toBe(3);
    expect(await accepted({ type: 'float' }, '2.5e1')).toBe(25);
    expect(await reason({ type: 'float' }, 'fast')).toMatch(/expected a number/);
  });

  it('boolean: accepts booleans and true/false/yes/no text', async () => {
    expect(await accepted({ type: 'boolean' }, true)).toBe(true);
    expect(await accepted({ type: 'boolean' }, 'false')).toBe(false);
    expect(await accepted({ type: 'boolean' }, 'Yes')).toBe(true);
    expect(await reason({ type: 'boolean' }, 'maybe')).toMatch(/expected a boolean/);
    expect(await reason({ type: 'boolean' }, 1)).toMatch(/expected a boolean/);
  });

  it('timestamp: accepts ISO 8601 / YAML timestamps only', async () => {
    expect(await accepted({ type: 'timestamp' }, '2024-05-01T12:00:00Z')).toBe('2024-05-01T12:00:00Z');
    expect(await accepted({ type: 'timestamp' }, '2001-12-14 21:59:43.10 -5')).toBe('2001-12-14 21:59:43.10 -5');
    expect(await accepted({ type: 'timestamp' }, '2024-05-01')).toBe('2024-05-01');
    expect(await reason({ type: 'timestamp' }, 'yesterday')).toMatch(/expected a timestamp/);
    expect(await reason({ type: 'timestamp' }, '2024-02-30')).toMatch(/expected a timestamp/);
    const after = { type: 'timestamp', constraints: [{ greater_than: '2024-01-01T00:00:00Z' }] };
    expect(await accepted(after, '2024-01-01 02:00:00 +01:00')).toBe('2024-01-01 02:00:00 +01:00');
    expect(await reason(after, '2024-01-01 00:30:00 +01:00')).toMatch(/must be greater than/);
  });

  it('version: accepts dotted versions, turning a number into its text', async () => {
    expect(await accepted({ type: 'version' }, '1.2.3')).toBe('1.2.3');
    expect(await accepted({ type: 'version' }, '2.0.1.beta-3')).toBe('2.0.1.beta-3');
    expect(await accepted({ type: 'version' }, 16.04)).toBe('16.04');
    expect(await reason({ type: 'version' }, 'v1')).toMatch(/expected a version/);
  });

  it('scalar-unit.size: needs a number and a size unit', async () => {
    expect(await accepted({ type: 'scalar-unit.size' }, '2 GB')).toBe('2 GB');
    expect(await accepted({ type: 'scalar-unit.size' }, '2048  MB')).toBe('2048  MB');
    expect(await accepted({ type: 'scalar-unit.size' }, '1.5 GiB')).toBe('1.5 GiB');
    expect(await reason({ type: 'scalar-unit.size' }, 2048)).toBe(
      "Input <x> is invalid: expected a size with a unit such as '2 GB', got number 2048",
    );
    expect(await reason({ type: 'scalar-unit.size' }, '2 parsecs')).toMatch(/expected a size/);
  });

  it('scalar-unit.time and scalar-unit.frequency: need their own units', async () => {
    expect(await accepted({ type: 'scalar-unit.time' }, '30 s')).toBe('30 s');
    expect(await accepted({ type: 'scalar-unit.time' }, '2 h')).toBe('2 h');
    expect(await reason({ type: 'scalar-unit.time' }, '2 GB')).toMatch(/expected a time with a unit such as '30 s'/);
    expect(await accepted({ type: 'scalar-unit.frequency' }, '2.4 GHz')).toBe('2.4 GHz');
    expect(await reason({ type: 'scalar-unit.frequency' }, '2 s')).toMatch(/expected a frequency/);
  });

  it('list: checks every entry against entry_schema and coerces it', async () => {
    const def = { type: 'list', entry_schema: { type: 'integer' } };
    expect(await accepted(def, [1, '2'])).toEqual([1, 2]);
    expect(await reason(def, [1, 'x'])).toBe('Input <x> is invalid: entry 1: expected an integer, got string "x"');
    expect(await reason(def, 5)).toMatch(/expected a list, got number 5/);
  });

  it('list: keeps a plain string unchanged, as the Java orchestrator substitutes it verbatim', async () => {
    expect(await accepted({ type: 'list', entry_schema: { type: 'string' } }, 'test1, test2')).toBe('test1, test2');
  });

  it('map: checks every value against entry_schema', async () => {
    const def = { type: 'map', entry_schema: { type: 'string' } };
    expect(await accepted(def, { a: 'x', b: 2 })).toEqual({ a: 'x', b: '2' });
    expect(await reason(def, { a: { deep: true } })).toBe('Input <x> is invalid: entry "a": expected a string, got a map');
    expect(await reason(def, ['a'])).toMatch(/expected a map, got a list/);
  });

  it('entry_schema constraints apply to each entry', async () => {
    const def = { type: 'list', entry_schema: { type: 'string', constraints: [{ min_length: 2 }] } };
    expect(await accepted(def, ['ab', 'cd'])).toEqual(['ab', 'cd']);
    expect(await reason(def, ['ab', 'c'])).toBe('Input <x> is invalid: entry 1: "c" must have length of at least 2');
  });

  it('a data type derived from a primitive validates as that primitive, with its constraints', async () => {
    const def = { type: 'tosca.datatypes.network.PortDef' };
    expect(await accepted(def, '8080')).toBe(8080);
    expect(await reason(def, 70000)).toBe('Input <x> is invalid: 70000 must be in the range [1, 65535]');
    expect(await reason(def, 'http')).toMatch(/expected an integer/);
  });

  it('a complex data type takes a map', async () => {
    const def = { type: 'tosca.datatypes.Credential' };
    expect(await accepted(def, { user: 'u', token: 't' })).toEqual({ user: 'u', token: 't' });
    expect(await reason(def, 'u:t')).toMatch(/expected a map/);
  });
});

describe('input constraints', () => {
  const int = (constraint: Record<string, unknown>) => ({ type: 'integer', constraints: [constraint] });

  it('equal', async () => {
    expect(await accepted(int({ equal: 3 }), 3)).toBe(3);
    expect(await reason(int({ equal: 3 }), 4)).toBe('Input <x> is invalid: 4 must be equal to 3');
  });

  it('greater_than', async () => {
    expect(await accepted(int({ greater_than: 3 }), 4)).toBe(4);
    expect(await reason(int({ greater_than: 3 }), 3)).toBe('Input <x> is invalid: 3 must be greater than 3');
  });

  it('greater_or_equal', async () => {
    expect(await accepted(int({ greater_or_equal: 3 }), 3)).toBe(3);
    expect(await reason(int({ greater_or_equal: 3 }), 2)).toBe('Input <x> is invalid: 2 must be greater than or equal to 3');
  });

  it('less_than', async () => {
    expect(await accepted(int({ less_than: 3 }), 2)).toBe(2);
    expect(await reason(int({ less_than: 3 }), 3)).toBe('Input <x> is invalid: 3 must be less than 3');
  });

  it('less_or_equal', async () => {
    expect(await accepted(int({ less_or_equal: 3 }), 3)).toBe(3);
    expect(await reason(int({ less_or_equal: 3 }), 4)).toBe('Input <x> is invalid: 4 must be less than or equal to 3');
  });

  it('in_range, including an UNBOUNDED upper end', async () => {
    expect(await accepted(int({ in_range: [1, 8] }), 8)).toBe(8);
    expect(await reason(int({ in_range: [1, 8] }), 9)).toBe('Input <x> is invalid: 9 must be in the range [1, 8]');
    expect(await accepted(int({ in_range: [1, 'UNBOUNDED'] }), 1_000_000)).toBe(1_000_000);
    expect(await reason(int({ in_range: [1, 'UNBOUNDED'] }), 0)).toMatch(/must be in the range \[1, "UNBOUNDED"\]/);
  });

  it('valid_values with numbers, strings and booleans', async () => {
    expect(await accepted(int({ valid_values: [1, 2, 4, 8] }), '4')).toBe(4);
    expect(await reason(int({ valid_values: [1, 2, 4, 8] }), 3)).toBe('Input <x> is invalid: 3 must be one of [1,2,4,8]');
    const flavour = { type: 'string', constraints: [{ valid_values: ['apache-zeppelin', 'spark-dispatcher'] }] };
    expect(await accepted(flavour, 'spark-dispatcher')).toBe('spark-dispatcher');
    expect(await reason(flavour, 'spark')).toMatch(/must be one of \["apache-zeppelin","spark-dispatcher"\]/);
    const flag = { type: 'boolean', constraints: [{ valid_values: [false, true] }] };
    expect(await accepted(flag, 'true')).toBe(true);
    const privileged = { type: 'string', constraints: [{ valid_values: ['true', 'false'] }] };
    expect(await accepted(privileged, true)).toBe('true');
  });

  it('compares sizes after unit normalisation (GB = 10^9 bytes, GiB = 2^30)', async () => {
    const size = (c: Record<string, unknown>) => ({ type: 'scalar-unit.size', constraints: [c] });
    expect(await accepted(size({ equal: '2 GB' }), '2000 MB')).toBe('2000 MB');
    expect(await accepted(size({ valid_values: ['1 GiB', '2 GiB'] }), '1024 MiB')).toBe('1024 MiB');
    expect(await reason(size({ greater_or_equal: '1 GiB' }), '1000 MB')).toMatch(/must be greater than or equal to "1 GiB"/);
    expect(await accepted(size({ in_range: ['1 GB', '4 GB'] }), '3.5 GB')).toBe('3.5 GB');
  });

  it('compares versions as text for equality and by segments for order', async () => {
    const v = (c: Record<string, unknown>) => ({ type: 'version', constraints: [c] });
    expect(await accepted(v({ valid_values: ['16.04', '7'] }), 16.04)).toBe('16.04');
    expect(await reason(v({ valid_values: ['16.04', '7'] }), '18.04')).toMatch(/must be one of/);
    expect(await accepted(v({ greater_than: '1.9' }), '1.10')).toBe('1.10');
  });

  it('length, min_length and max_length on strings and lists', async () => {
    const str = (c: Record<string, unknown>) => ({ type: 'string', constraints: [c] });
    expect(await accepted(str({ length: 3 }), 'abc')).toBe('abc');
    expect(await reason(str({ length: 3 }), 'ab')).toBe('Input <x> is invalid: "ab" must have length 3');
    expect(await accepted(str({ min_length: 8 }), 'long enough')).toBe('long enough');
    expect(await reason(str({ min_length: 8 }), 'short')).toMatch(/must have length of at least 8/);
    expect(await accepted(str({ max_length: 3 }), 'abc')).toBe('abc');
    expect(await reason(str({ max_length: 3 }), 'abcd')).toMatch(/must have length of at most 3/);
    expect(await reason({ type: 'list', constraints: [{ min_length: 2 }] }, ['one'])).toMatch(/must have length of at least 2/);
  });

  it('pattern must match the whole value', async () => {
    const def = { type: 'string', constraints: [{ pattern: '[a-z]+-[0-9]+' }] };
    expect(await accepted(def, 'node-12')).toBe('node-12');
    expect(await reason(def, 'node-12x')).toBe('Input <x> is invalid: "node-12x" must match the pattern "[a-z]+-[0-9]+"');
  });

  it('rejects a template whose constraint is malformed, naming it', async () => {
    const yaml = stringify({
      tosca_definitions_version: 'tosca_simple_yaml_1_0',
      topology_template: {
        inputs: { x: { type: 'integer', constraints: [{ between: [1, 2] }] }, rx: { type: 'string', constraints: [{ pattern: '(' }] } },
        node_templates: { vm: { type: 'tosca.nodes.Compute' } },
      },
    });
    const { builtinEngine } = await import('./tosca/fixtures.js');
    const result = await builtinEngine().parse(yaml);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors.map((e) => [e.path, e.message])).toEqual([
      ['topology_template.inputs.x.constraints[0].between', 'unknown constraint operator between'],
      ['topology_template.inputs.rx.constraints[0].pattern', 'pattern "(" is not a valid regular expression'],
    ]);
  });
});

describe('validateInputs', () => {
  it('answers one request with every bad input and its reason', async () => {
    const template = await withInputs({
      cpus: { type: 'integer', constraints: [{ valid_values: [1, 2, 4] }] },
      mem: { type: 'scalar-unit.size' },
      name: { type: 'string', required: true },
      tags: { type: 'list', entry_schema: { type: 'string' }, required: false },
      ok: { type: 'string', default: 'fine' },
    });
    const result = validateInputs(template, { cpus: 3, mem: 'lots', tags: [1, { a: 1 }], colour: 'blue' });
    expect(result).toEqual({
      ok: false,
      errors: [
        { path: 'inputs.colour', message: 'Input <colour> is not declared by the template' },
        { path: 'inputs.cpus', message: 'Input <cpus> is invalid: 3 must be one of [1,2,4]' },
        { path: 'inputs.mem', message: `Input <mem> is invalid: expected a size with a unit such as '2 GB', got string "lots"` },
        {
          path: 'inputs.name',
          message: "Input <name> is required and is not present in the user's input list, nor has a default value",
        },
        { path: 'inputs.tags', message: 'Input <tags> is invalid: entry 1: expected a string, got a map' },
      ],
    });
  });

  it('rejects inputs that are not a map', async () => {
    const template = await withInputs({ x: { type: 'string', default: 'a' } });
    expect(validateInputs(template, ['x'])).toEqual({
      ok: false,
      errors: [{ path: 'inputs', message: 'inputs must be a map of input names to values' }],
    });
    expect(validateInputs(template, undefined)).toEqual({ ok: true, values: { x: 'a' } });
  });

  it('applies defaults for omitted inputs and leaves optional inputs without default out', async () => {
    const template = await withInputs({
      a: { type: 'integer', default: 2 },
      b: { type: 'string', required: false },
      c: { type: 'scalar-unit.size', default: '1 GB' },
    });
    expect(validateInputs(template, { a: '5' })).toEqual({ ok: true, values: { a: 5, c: '1 GB' } });
    expect(validateInputs(template, {})).toEqual({ ok: true, values: { a: 2, c: '1 GB' } });
  });

  it('reads `required: no` as false (YAML 1.1 booleans)', async () => {
    const template = await parseInline(`tosca_definitions_version: tosca_simple_yaml_1_0
topology_template:
  inputs:
    optional:
      type: string
      required: no
  node_templates:
    vm:
      type: tosca.nodes.Compute
`);
    expect(template.inputs.optional.required).toBe(false);
    expect(validateInputs(template, {})).toEqual({ ok: true, values: {} });
  });

  it('keeps the spelling of a numeric version default, which then passes valid_values', async () => {
    const template = await parseShared('templates/indigo-dc/simple-node.yml');
    expect(template.inputs.os_version).toMatchObject({ type: 'version', default: '16.04' });
    const result = validateInputs(template, {});
    expect(result.ok && result.values.os_version).toBe('16.04');
    expect(validateInputs(template, { os_version: '7' }).ok).toBe(true);
    expect(validateInputs(template, { os_version: '9' }).ok).toBe(false);
  });
});

describe('the Java orchestrator input fixtures', () => {
  const dir = 'templates/infn-orchestrator-tests/inputs';

  it('a required input without default and not given', async () => {
    const template = await parseShared(`${dir}/tosca_inputs_required_not_given.yaml`);
    expect(validateInputs(template, {})).toEqual({
      ok: false,
      errors: [
        {
          path: 'inputs.cpus',
          message: "Input <cpus> is required and is not present in the user's input list, nor has a default value",
        },
      ],
    });
  });

  it.each(['tosca_inputs_not_required_no_default_not_given.yaml', 'tosca_inputs_not_required_without_default.yaml'])(
    'an optional input without default used by get_input (%s)',
    async (file) => {
      const template = await parseShared(`${dir}/${file}`);
      expect(validateInputs(template, {})).toEqual({
        ok: false,
        errors: [
          {
            path: 'inputs.cpus',
            message:
              'Failed to evaluate node_templates[my_server][capabilities][host][properties][num_cpus][get_input][cpus]: No input provided for <cpus> and no default value provided in the definition',
          },
        ],
      });
      expect(validateInputs(template, { cpus: 2 })).toEqual({ ok: true, values: { cpus: 2 } });
    },
  );

  it('a default replaces get_input when the input is omitted', async () => {
    const template = await parseShared(`${dir}/tosca_inputs_default_replaced.yaml`);
    const result = validateInputs(template, {});
    if (!result.ok) throw new Error('rejected');
    const applied = applyInputs(template, result.values);
    expect(applied.nodeTemplates.my_server.capabilities.host.properties.num_cpus).toBe(8);
  });

  it('request values replace get_input in properties, nested maps, artifacts and capabilities', async () => {
    const template = await parseShared(`${dir}/tosca_inputs_replaced_all_types.yaml`);
    const result = validateInputs(template, {
      input_urls: ['http://a.it', 'http://b.it'],
      output_filenames: 'test1, test2',
      command: 'command',
      cpus: 1.0,
      mem: '256 MB',
      docker_image: 'docker_image',
    });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const nodes = applyInputs(template, result.values).nodeTemplates;
    expect(nodes.chronos_job.properties).toMatchObject({
      command: 'command',
      uris: ['http://a.it', 'http://b.it'],
      environment_variables: { OUTPUT_FILENAMES: 'test1, test2' },
    });
    expect(nodes.chronos_job.artifacts.image).toMatchObject({ file: 'docker_image' });
    expect(nodes.docker_runtime1.capabilities.host.properties).toEqual({ num_cpus: 1, mem_size: '256 MB' });
    expect(nodes.docker_runtime2.capabilities.host.properties).toEqual({ num_cpus: 1, mem_size: '1024 MB' });
  });
});

describe('secret inputs', () => {
  it.each([
    ['marathon_password', true],
    ['rclone_pass', true],
    ['admin_token', true],
    ['iam_client_secret', true],
    ['ssh_private_key', true],
    ['accessToken', true],
    ['secret_key', true],
    ['api_key', true],
    ['spark_swift_username', false],
    ['ams_repo_public_key', false],
    ['passive_mode', false],
    ['num_cpus', false],
  ])('%s secret: %s', (name, secret) => {
    expect(isSecretInputName(name)).toBe(secret);
  });

  it('metadata sensitive overrides the name', async () => {
    const template = await withInputs({
      pin: { type: 'string', metadata: { sensitive: true } },
      db_password_hint: { type: 'string', metadata: { sensitive: false } },
      password: { type: 'string' },
    });
    expect([template.inputs.pin.secret, template.inputs.db_password_hint.secret, template.inputs.password.secret]).toEqual([true, false, true]);
  });

  it('never echoes a rejected secret value in the reason', async () => {
    const template = await withInputs({
      admin_password: { type: 'string', constraints: [{ min_length: 12 }] },
      api_token: { type: 'integer' },
    });
    const result = validateInputs(template, { admin_password: 'hunter2', api_token: 'tok-abc' });
    expect(result).toEqual({
      ok: false,
      errors: [
        { path: 'inputs.admin_password', message: 'Input <admin_password> is invalid: the value must have length of at least 12' },
        { path: 'inputs.api_token', message: 'Input <api_token> is invalid: expected an integer, got a string' },
      ],
    });
  });

  it('masks secret values as ***** and leaves the others readable', async () => {
    const template = await parseShared('templates/indigo-dc-tosca-types/examples/mesos_cluster.yaml');
    const result = validateInputs(template, { mesos_password: 'm1', marathon_password: 'm2', chronos_password: 'm3' });
    if (!result.ok) throw new Error('rejected');
    expect(maskSecretInputs(template, result.values)).toEqual({
      mesos_password: '*****',
      marathon_password: '*****',
      chronos_password: '*****',
      slave_num: 3,
      slave_cpus: 1,
      slave_mem: '2 GB',
      master_cpus: 2,
      master_mem: '4 GB',
    });
    expect(result.values.mesos_password).toBe('m1');
  });
});

describe('inputsForForm', () => {
  it('describes each input with type, default, constraints and secrecy, masking secret defaults', async () => {
    const template = await parseShared('templates/indigo-dc-tosca-types/examples/spark_mesos_cluster.yaml');
    const form = inputsForForm(template);
    expect(form.find((i) => i.name === 'spark_mesos_flavor')).toEqual({
      name: 'spark_mesos_flavor',
      type: 'string',
      default: 'spark-dispatcher',
      required: false,
      constraints: [{ valid_values: ['apache-zeppelin', 'spark-dispatcher'] }],
      secret: false,
    });
    expect(form.find((i) => i.name === 'marathon_password')).toMatchObject({ required: true, secret: true });
    expect(form.find((i) => i.name === 'spark_swift_password')).toMatchObject({ secret: true, default: '*****' });
    expect(form.map((i) => i.name)).toEqual(Object.keys(template.inputs));
  });
});
