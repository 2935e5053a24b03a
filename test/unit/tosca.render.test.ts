import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderForIm, RenderError, validateInputs, type ParsedTemplate, type ProviderRendering } from '../../src/tosca/index.js';
import { HEADER, parseInline, parseShared } from './tosca/fixtures.js';

type Doc = {
  topology_template: {
    inputs: Record<string, { default?: unknown }>;
    node_templates: Record<string, { capabilities?: Record<string, { properties?: Record<string, unknown> }>; properties?: Record<string, unknown> }>;
  };
};

function rendered(t: ParsedTemplate, values: Record<string, unknown>, provider?: ProviderRendering): Doc {
  return parse(renderForIm(t, values, provider), { version: '1.1' }) as Doc;
}

async function cluster(): Promise<ParsedTemplate> {
  return parseInline(`${HEADER}topology_template:
  inputs:
    wn_num: { type: integer, default: 1 }
    fe_mem: { type: scalar-unit.size, default: 2 GB }
    wn_cpus: { type: integer, default: 2 }
    admin_token: { type: string }
    flag: { type: string, default: "yes" }
  node_templates:
    front:
      type: tosca.nodes.indigo.LRMS.FrontEnd.Slurm
      properties:
        wn_ips: [ ]
      requirements:
        - host: fe
    fe:
      type: tosca.nodes.indigo.Compute
      properties:
        instance_name: { get_input: flag }
      capabilities:
        host:
          properties:
            num_cpus: 1
            mem_size: { get_input: fe_mem }
        os:
          properties:
            image: ubuntu-22.04
    wn:
      type: tosca.nodes.indigo.Compute
      capabilities:
        scalable:
          properties:
            count: { get_input: wn_num }
        host:
          properties:
            num_cpus: { get_input: wn_cpus }
            mem_size: 3 GB
        os:
          properties:
            distribution: ubuntu
            version: 20.04
    store:
      type: tosca.nodes.BlockStorage
      properties:
        size: 10 GB
  outputs:
    token: { value: { get_input: admin_token } }
`);
}

const PROVIDER: ProviderRendering = {
  provider: 'cloud-a',
  region: 'r1',
  images: { 'ubuntu-22.04': 'ost://cloud-a/img-2204', 'ubuntu:20.04': 'ost://cloud-a/img-2004' },
  flavourCatalogue: [
    { name: 'xlarge', cpus: 8, memMb: 16384 },
    { name: 'small', cpus: 1, memMb: 2048 },
    { name: 'medium', cpus: 2, memMb: 4096 },
  ],
};

const HUGE = { name: 'huge', cpus: 64, memMb: 512 * 1024, gpus: 8, diskGb: 2000 };

describe('renderForIm', () => {
  it('substitutes the values for get_input and writes them as the inputs defaults', async () => {
    const t = await cluster();
    const v = validateInputs(t, { wn_num: 3, admin_token: 'tok' });
    if (!v.ok) throw new Error('rejected');
    const doc = rendered(t, v.values);
    expect(doc.topology_template.inputs).toMatchObject({
      wn_num: { default: 3 },
      admin_token: { default: 'tok' },
      flag: { default: 'yes' },
    });
    const nodes = doc.topology_template.node_templates;
    expect(nodes.wn.capabilities?.scalable.properties?.count).toBe(3);
    expect(nodes.wn.capabilities?.host.properties?.num_cpus).toBe(2);
    expect(nodes.fe.capabilities?.host.properties?.mem_size).toBe('2 GB');
    expect(nodes.fe.properties?.instance_name).toBe('yes');
    expect((doc as unknown as { topology_template: { outputs: unknown } }).topology_template.outputs).toEqual({ token: { value: 'tok' } });
  });

  it('quotes strings that YAML 1.1 would read as booleans', async () => {
    const t = await cluster();
    const text = renderForIm(t, { admin_token: 'on', flag: 'yes' });
    expect(text).toContain('instance_name: "yes"');
    expect(rendered(t, { admin_token: 'on', flag: 'yes' }).topology_template.inputs.admin_token.default).toBe('on');
  });

  it('maps images by name or distribution:version and picks the smallest flavour that fits each compute node', async () => {
    const t = await cluster();
    const nodes = rendered(t, { admin_token: 't' }, PROVIDER).topology_template.node_templates;
    expect(nodes.fe.capabilities?.os.properties?.image).toBe('ost://cloud-a/img-2204');
    expect(nodes.fe.capabilities?.host.properties?.instance_type).toBe('small');
    expect(nodes.wn.capabilities?.os.properties?.image).toBe('ost://cloud-a/img-2004');
    expect(nodes.wn.capabilities?.host.properties?.instance_type).toBe('medium');
    expect(nodes.store).toEqual({ type: 'tosca.nodes.BlockStorage', properties: { size: '10 GB' } });
    expect(nodes.front.capabilities).toBeUndefined();
  });

  it('maps an explicit instance_type through the flavour table and falls back to the default image', async () => {
    const t = await parseShared('templates/indigo-dc-tosca-types/examples/node_with_instance_type.yaml');
    const provider: ProviderRendering = { provider: 'aws', flavours: { 'm1.small': 't3.small' }, defaultImage: 'aws://eu/ami-1' };
    const node = rendered(t, {}, provider).topology_template.node_templates.simple_node;
    expect(node.capabilities?.host.properties).toEqual({ instance_type: 't3.small' });
    expect(node.capabilities?.os.properties).toEqual({ type: 'linux', image: 'aws://eu/ami-1' });
    const unmapped = rendered(t, {}, { provider: 'other', flavours: {} }).topology_template.node_templates.simple_node;
    expect(unmapped.capabilities?.host.properties).toEqual({ instance_type: 'm1.small' });
  });

  it('fails with the node name when no flavour fits', async () => {
    const t = await cluster();
    const tiny: ProviderRendering = { provider: 'tiny', flavourCatalogue: [{ name: 'nano', cpus: 1, memMb: 512 }] };
    expect(() => renderForIm(t, { admin_token: 't' }, tiny)).toThrow(RenderError);
    expect(() => renderForIm(t, { admin_token: 't' }, tiny)).toThrow('no flavour of provider tiny fits node fe (1 CPUs, 1908 MiB, 0 GPUs)');
  });

  it('leaves the parsed template untouched', async () => {
    const t = await cluster();
    const before = JSON.stringify(t);
    renderForIm(t, { admin_token: 'x', wn_num: 5 }, PROVIDER);
    expect(JSON.stringify(t)).toBe(before);
  });

  it('renders every accepted real template into YAML that parses back', async () => {
    const { manifest } = await import('./tosca/fixtures.js');
    for (const m of manifest.templates.filter((x) => x.resources && !x.tags.includes('UNKNOWN_NODE_TYPE'))) {
      const t = await parseShared(m.file);
      const text = renderForIm(t, {}, { ...PROVIDER, flavourCatalogue: [...(PROVIDER.flavourCatalogue ?? []), HUGE] });
      expect(parse(text, { version: '1.1' }), m.file).toMatchObject({ tosca_definitions_version: 'tosca_simple_yaml_1_0' });
    }
  });
});
